"""Add the running interpreter's standard-library names to its version's table.

    python scripts/stdlib_names.py

Run it with each supported Python (3.10 to 3.13) after a new patch release; the table only
ever grows (its classes that make no coroutine only shrink), so one table serves every
patch release of its version.
"""

from __future__ import annotations

import json
import platform

from flake8_async_tests.index import stdlib


def main() -> None:
    defs, async_defs, _ = stdlib.scan()
    sync_classes, _ = stdlib.scan_sync_classes()
    aliases = stdlib.scan_sync_aliases(sync_classes)
    try:
        with open(stdlib.TABLE, encoding="utf-8") as handle:
            old = json.load(handle)
    except FileNotFoundError:
        old = {"pythons": [], "defs": [], "async_defs": []}
    others = set(old["pythons"]) - {platform.python_version()}
    if others and "sync_classes" in old:
        sync_classes &= set(old["sync_classes"])  # a class must make no coroutine in each
    if others and "sync_aliases" in old:  # and a name must re-export it in each
        aliases = {k: v for k, v in aliases.items() if old["sync_aliases"].get(k) == v}
    aliases = {k: v for k, v in aliases.items() if v in sync_classes}
    data = {
        "pythons": sorted({*old["pythons"], platform.python_version()}),
        "sync_classes": sorted(sync_classes),
        "sync_aliases": dict(sorted(aliases.items())),
        "defs": sorted(defs | set(old["defs"])),
        "async_defs": sorted(async_defs | set(old["async_defs"])),
    }
    with open(stdlib.TABLE, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=0, sort_keys=True)
        handle.write("\n")
    print(f"{stdlib.TABLE}: {len(data['defs'])} def and {len(data['async_defs'])} async def "
          f"names, {len(data['sync_classes'])} classes that make no coroutine (and "
          f"{len(aliases)} names re-exporting them), from Python "
          f"{', '.join(data['pythons'])}")


if __name__ == "__main__":
    main()
