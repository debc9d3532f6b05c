"""Linting never runs the linted project's code.

The project below writes a marker file whenever any of its code runs: module bodies,
__init__.py files, conftest.py files, a class body, setup.py, and packages named like the
ones astroid imports for real (gi and numpy, from its plugins). It also has C extensions
(fake ones: a file with an extension module's name), one named like a standard-library
module that this interpreter lacks, which astroid would otherwise load. flake8 runs through
a small wrapper that records every extension module the import system starts to load from
the project.
"""

from __future__ import annotations

import importlib.machinery
import sys
import textwrap
from pathlib import Path

from harness import places, run_flake8

EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]

SPY = """\
import importlib.machinery
import os
import sys

root = os.path.realpath(os.getcwd())
loader = importlib.machinery.ExtensionFileLoader
real = loader.create_module


def spy(self, spec):
    if os.path.realpath(str(spec.origin)).startswith(root + os.sep):
        with open(os.path.join(root, "MARKER"), "a") as fh:
            fh.write("extension " + os.path.basename(spec.origin) + "\\n")
    return real(self, spec)


loader.create_module = spy
from flake8.main.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
"""


def side_effect(marker: Path, what: str) -> str:
    return f"open({str(marker)!r}, 'a').write({what!r} + '\\n')\n"


def make_project(root: Path) -> Path:
    marker = root / "MARKER"

    def write(name: str, text: str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("pytest.ini", "[pytest]\n")
    write("setup.py", side_effect(marker, "setup.py"))
    write("conftest.py", side_effect(marker, "conftest.py") + textwrap.dedent("""
        import pytest


        @pytest.fixture
        async def conn():
            pass
        """))
    write("app/__init__.py", side_effect(marker, "app/__init__.py"))
    write("app/models.py", side_effect(marker, "app/models.py") + textwrap.dedent(f"""

        class Model:
            {side_effect(marker, "class body").strip()}

            async def save(self):
                pass

            async def ndarray(self):
                pass


        async def fetch():
            pass
        """))
    # astroid's plugins import these by name; here they are the project's own packages.
    write("numpy/__init__.py", side_effect(marker, "numpy") + "class ndarray:\n    pass\n")
    write("gi/__init__.py", side_effect(marker, "gi") + "def require_version(a, b):\n    pass\n")
    write("gi/repository/__init__.py", side_effect(marker, "gi.repository"))
    # astroid loads C extensions whose name is a standard-library one; this interpreter
    # has no winreg (except on Windows, where the standard library's comes first).
    (root / f"winreg{EXTENSION}").write_bytes(b"\x7fELF not really an extension module")
    (root / f"fastlib{EXTENSION}").write_bytes(b"\x7fELF not really an extension module")
    write("tests/__init__.py", side_effect(marker, "tests/__init__.py"))
    write("tests/conftest.py", side_effect(marker, "tests/conftest.py"))
    write("tests/test_app.py", textwrap.dedent("""\
        from unittest import mock

        import fastlib
        import gi
        import numpy as np
        import winreg
        from gi.repository import Gtk

        from app import models
        from app.models import Model, fetch

        gi.require_version("Gtk", "3.0")


        async def test_save():
            Model().save()
            fetch()
            np.ndarray()
            np.zeros(3).ndarray()
            Gtk.Window()
            with mock.patch("app.models.Model.missing"):
                pass
            models.Model.save(Model())
            with mock.patch("winreg.OpenKey"), mock.patch.object(winreg, "nothing"):
                pass
            with mock.patch("fastlib.thing"), mock.patch.object(fastlib, "other"):
                pass
        """))
    return marker


EXPECTED = {
    ("conftest.py", 7, "AT104"),
    ("tests/test_app.py", 15, "AT100"),
    ("tests/test_app.py", 16, "AT200"),
    ("tests/test_app.py", 17, "AT200"),
    ("tests/test_app.py", 21, "AT304"),
    ("tests/test_app.py", 23, "AT200"),
}


def test_linting_runs_none_of_the_projects_code(tmp_path):
    root = tmp_path / "project"
    marker = make_project(root)
    spy = tmp_path / "spy.py"
    spy.write_text(SPY, encoding="utf-8")
    for jobs in ("1", "2"):
        found, proc = run_flake8(root, ["--async-tests-report-errors", "-j", jobs],
                                 command=[sys.executable, str(spy)])
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr == ""
        assert places(found) == EXPECTED
        assert not marker.exists(), marker.read_text(encoding="utf-8")
