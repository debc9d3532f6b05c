"""Add the running interpreter's standard-library names to its version's table.

    python scripts/stdlib_names.py

Run it with each supported Python (3.10 to 3.13) after a new patch release; the table only
ever grows, so one table serves every patch release of its version.
"""

from __future__ import annotations

import json
import platform

from flake8_async_tests.index import stdlib


def main() -> None:
    defs, async_defs, _ = stdlib.scan()
    try:
        with open(stdlib.TABLE, encoding="utf-8") as handle:
            old = json.load(handle)
    except FileNotFoundError:
        old = {"pythons": [], "defs": [], "async_defs": []}
    data = {
        "pythons": sorted({*old["pythons"], platform.python_version()}),
        "defs": sorted(defs | set(old["defs"])),
        "async_defs": sorted(async_defs | set(old["async_defs"])),
    }
    with open(stdlib.TABLE, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=0, sort_keys=True)
        handle.write("\n")
    print(f"{stdlib.TABLE}: {len(data['defs'])} def and {len(data['async_defs'])} async def "
          f"names, from Python {', '.join(data['pythons'])}")


if __name__ == "__main__":
    main()
