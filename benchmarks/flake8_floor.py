"""The standalone command's floor: flake8's application as `flake8-async-tests` runs it
(start, options, finding the files, reading and parsing each, -j workers, reporting), with
no checker at all (none imported: only the report formatters are loaded) and no walk over
tokens. Takes flake8's own arguments (not those of a plugin it leaves out); run it where
flake8 is installed without this plugin."""

import sys

from flake8 import checker
from flake8.main.application import Application
from flake8.options.manager import OptionManager
from flake8.plugins import finder


class NoWalk(checker.FileChecker):
    def process_tokens(self) -> None:
        pass


class NoChecks(Application):
    def make_file_checker_manager(self, argv):  # type: ignore[no-untyped-def]
        assert self.plugins is not None
        self.plugins = self.plugins._replace(checkers=finder.Checkers([], [], []))
        super().make_file_checker_manager(argv)


def main(argv: list[str]) -> int:
    load, register = finder.load_plugins, OptionManager.register_plugins
    left_out: list[str] = []

    def load_reporters(plugins, opts):  # type: ignore[no-untyped-def]
        left_out.extend(p.entry_point.name for p in plugins
                        if p.entry_point.group == "flake8.extension")
        return load([p for p in plugins if p.entry_point.group == "flake8.report"], opts)

    def register_selecting_left_out(self, plugins):  # type: ignore[no-untyped-def]
        register(self, plugins)
        self.extend_default_select(left_out)  # (E999 reports as when they are loaded)

    finder.load_plugins = load_reporters  # type: ignore[assignment]
    OptionManager.register_plugins = register_selecting_left_out  # type: ignore[method-assign]
    checker.FileChecker = NoWalk  # type: ignore[misc]
    app = NoChecks()
    app.run(argv)
    return app.exit_code()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
