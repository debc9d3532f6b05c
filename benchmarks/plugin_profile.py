"""Time the plugin alone on each file, in one process (like one flake8 worker with -j 1).

Run with the with-plugin venv's python from the linted project's root:
    python plugin_profile.py PATH... > result.json
flake8 parses the options (so the plugin's options and config are real), then each file is
read and parsed by flake8's FileProcessor and the plugin's checker runs on it, timed alone.
"""

import json
import sys
import time

from flake8.main.application import Application
from flake8.processor import FileProcessor


def main(argv: list[str]) -> None:
    app = Application()
    app.initialize(["--isolated", "--select", "AT", *argv])
    checker = next(p.obj for p in app.plugins.checkers.tree if p.entry_name == "AT")
    manager = app.file_checker_manager
    manager.start()
    files = []
    for name in manager.filenames:
        processor = FileProcessor(name, app.options)
        try:
            tree = processor.build_ast()
        except (SyntaxError, ValueError):
            continue
        start = time.perf_counter()
        found = list(checker(tree=tree, filename=name, lines=processor.lines).run())
        files.append([name, time.perf_counter() - start, len(found)])
    json.dump({"files": files}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
