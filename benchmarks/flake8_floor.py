"""The standalone command's floor: flake8's application as `flake8-async-tests` runs it
(start, options, finding the files, reading and parsing each, -j workers, reporting), with
no checker at all and no walk over tokens. Takes flake8's arguments; run it where flake8
is installed without this plugin."""

import sys

from flake8 import checker
from flake8.main.application import Application
from flake8.plugins.finder import Checkers


class NoWalk(checker.FileChecker):
    def process_tokens(self) -> None:
        pass


class NoChecks(Application):
    def make_file_checker_manager(self, argv):  # type: ignore[no-untyped-def]
        assert self.plugins is not None
        self.plugins = self.plugins._replace(checkers=Checkers([], [], []))
        super().make_file_checker_manager(argv)


def main(argv: list[str]) -> int:
    checker.FileChecker = NoWalk  # type: ignore[misc]
    app = NoChecks()
    app.run(argv)
    return app.exit_code()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
