"""The floor: read and ast.parse every file listed (one per line) in the file argv[1]."""

import ast
import sys


def main(listing: str) -> int:
    with open(listing, encoding="utf-8") as handle:
        names = handle.read().splitlines()
    for name in names:
        with open(name, "rb") as handle:
            source = handle.read()
        try:
            ast.parse(source, name)
        except (SyntaxError, ValueError):
            pass
    return 0 if names else 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
