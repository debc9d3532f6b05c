"""The standard library's module facts, shipped with the plugin per Python version (as
mypy ships typeshed), so that a run with an empty cache does not read `unittest.mock`,
`typing` or `asyncio` from source again in every project.

An archive per version holds, for each pure-Python module of the names table (stdlib.py),
the facts the index builds from it, with the size and SHA-1 of the source they were built
from: they stand for a file only when its content is exactly that (another patch release's
changed module is read from source), and only when the archive was written by this
FORMAT of the facts. `python scripts/stdlib_facts.py` writes the running interpreter's
entries; a test checks that each equals what the index builds. The archive is a zip with
a member per top-level module, read when a module of it is first needed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import zipfile

from . import stdlib
from .facts import ModuleFacts

ARCHIVE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       f"stdlib-{stdlib.VERSION}-facts.zip")
HEADER = "format.json"  # {"format": FORMAT, "pythons": [patch releases written from]}


def facts(path: str, name: str, source: bytes) -> ModuleFacts | None:
    """The shipped facts of the standard-library file `path` read as module `name`, whose
    content is `source`; None when none were shipped for exactly that."""
    found = stdlib.place(path)
    if found is None:
        return None
    top, place = found
    entries = _member(top)
    if not entries:
        return None
    digest = None
    for entry in entries.get(place, ()):
        if entry["name"] != name or entry["size"] != len(source):
            continue
        digest = digest or hashlib.sha1(source).hexdigest()
        if entry["sha1"] == digest:
            try:
                return ModuleFacts.from_json(entry["facts"])
            except (KeyError, TypeError, ValueError, AttributeError):
                return None
    return None


@functools.lru_cache(maxsize=None)
def _member(top: str) -> dict[str, list[dict]] | None:
    archive = _archive()
    if archive is None:
        return None
    try:
        with zipfile.ZipFile(ARCHIVE) as handle:
            return json.loads(handle.read(f"{top}.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


@functools.lru_cache(maxsize=1)
def _archive() -> dict | None:
    """The archive's header, when it exists and was written by this format of the facts."""
    from .store import FORMAT  # (store imports the index's modules)

    try:
        with zipfile.ZipFile(ARCHIVE) as handle:
            header = json.loads(handle.read(HEADER))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return header if isinstance(header, dict) and header.get("format") == FORMAT else None
