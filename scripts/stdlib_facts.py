"""Add the running interpreter's standard-library module facts to its version's archive.

    python scripts/stdlib_facts.py

Run it with each supported Python (3.10 to 3.13) after the facts' FORMAT changes (the
archive is then written anew) or for a new patch release (its changed modules are added
beside the others). Facts are built from source, never taken from the archive.
"""

from __future__ import annotations

import ast
import collections
import hashlib
import json
import os
import platform
import zipfile

from flake8_async_tests.index import shipped, stdlib
from flake8_async_tests.index.facts import build
from flake8_async_tests.index.store import FORMAT

STAMP = (2020, 1, 1, 0, 0, 0)  # every member's date: the same facts give the same bytes


def main() -> None:
    old = _read_old()
    pythons = set(old.pop(shipped.HEADER, {}).get("pythons", ())) if old else set()
    members: dict[str, dict[str, list[dict]]] = collections.defaultdict(dict)
    for top, entries in (old or {}).items():
        members[top[:-5]] = entries
    for path, name, package, place in stdlib.table_modules():
        top = place.split("/", 1)[0].removesuffix(".py")  # (as stdlib.place names it)
        with open(path, "rb") as handle:
            source = handle.read()
        try:
            facts = build(ast.parse(source, filename=path), name, package, source)
        except (SyntaxError, ValueError, RecursionError):
            continue  # the index cannot read it either
        entry = {"name": name, "size": len(source),
                 "sha1": hashlib.sha1(source).hexdigest(),
                 "facts": json.loads(json.dumps(facts.to_json()))}
        kept = [e for e in members[top].get(place, []) if e["sha1"] != entry["sha1"]]
        members[top][place] = sorted([*kept, entry], key=lambda e: e["sha1"])
    pythons.add(platform.python_version())
    with zipfile.ZipFile(shipped.ARCHIVE, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        _write(out, shipped.HEADER, {"format": FORMAT, "pythons": sorted(pythons)})
        for top in sorted(members):
            _write(out, f"{top}.json", dict(sorted(members[top].items())))
    print(f"{shipped.ARCHIVE}: {sum(len(m) for m in members.values())} modules, "
          f"{os.path.getsize(shipped.ARCHIVE) // 1024} KB")


def _read_old() -> dict[str, dict] | None:
    """The archive's members as written, when it holds this FORMAT's facts."""
    try:
        with zipfile.ZipFile(shipped.ARCHIVE) as handle:
            old = {name: json.loads(handle.read(name)) for name in handle.namelist()}
    except (OSError, ValueError, zipfile.BadZipFile):
        return None
    return old if old.get(shipped.HEADER, {}).get("format") == FORMAT else None


def _write(out: zipfile.ZipFile, name: str, data: object) -> None:
    info = zipfile.ZipInfo(name, STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    out.writestr(info, json.dumps(data, separators=(",", ":"), sort_keys=True),
                 compresslevel=9)


if __name__ == "__main__":
    main()
