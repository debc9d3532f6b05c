"""Fixes, through the real `flake8-async-tests --fix` (its application, in this process).

Each input tests/autofix_files/ATxxx*.py, linted as test_<name>.py beside a strict-mode
pytest.ini and fixed with --unsafe-fixes, must give exactly tests/autofix_files/fixed/
<same name>, and fixing that file again must change nothing (an input named *_kept.py has
nothing a fix may change). What a fix leaves is marked in the input: each finding left in
the fixed file is on a line with a `# no fix` comment, and each such line keeps one.
Regenerate the expected files after a deliberate change with
`python tests/test_autofix.py --write`, and read the diff.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_tests import cli
from flake8_async_tests.fix import FIXES, UNSAFE
from harness import FIXTURES, lint, stage_file

AUTOFIX = Path(__file__).parent / "autofix_files"
FIXED = AUTOFIX / "fixed"
INPUTS = sorted(p.name for p in AUTOFIX.glob("AT*.py"))
STRICT_INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
NO_FIX = "# no fix"


def command(root: Path, args: list[str]) -> tuple[int, str, str]:
    """The standalone command in `root`: (exit code, stdout, stderr)."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # flake8 writes to its buffer
    stderr = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(root)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(["--jobs=1", *args])
    finally:
        os.chdir(cwd)
    stdout.flush()
    return code, stdout.buffer.getvalue().decode("utf-8"), stderr.getvalue()


def stage(tmp: Path, files: dict[str, bytes], ini: str = STRICT_INI) -> Path:
    root = tmp / "project"
    root.mkdir()
    (root / "pytest.ini").write_text(ini, encoding="utf-8")
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


def target(name: str) -> str:
    return f"test_{Path(name).stem.lower()}.py"


def fixed(data: bytes, name: str, tmp: Path, *args: str) -> tuple[bytes, str]:
    """(the file after `--fix ARGS`, stderr)"""
    root = stage(tmp, {target(name): data})
    _, _, stderr = command(root, ["--fix", *args, target(name)])
    assert "Traceback" not in stderr, stderr
    return (root / target(name)).read_bytes(), stderr


@pytest.mark.parametrize("name", INPUTS)
def test_fix_gives_the_expected_file(name, tmp_path):
    expected = FIXED / name
    assert expected.exists(), "write it with: python tests/test_autofix.py --write"
    after, _ = fixed((AUTOFIX / name).read_bytes(), name, tmp_path, "--unsafe-fixes")
    assert after.decode() == expected.read_text(encoding="utf-8")
    unchanged = after == (AUTOFIX / name).read_bytes()
    assert unchanged == name.endswith("_kept.py"), "only *_kept.py inputs stay as they are"


@pytest.mark.parametrize("name", INPUTS)
def test_fixing_again_changes_nothing(name, tmp_path):
    data = (FIXED / name).read_bytes()
    after, stderr = fixed(data, name, tmp_path, "--unsafe-fixes")
    assert after == data
    assert "(0 fixed," in stderr or stderr == "", stderr


@pytest.mark.parametrize("name", INPUTS)
def test_what_remains_is_marked(name, tmp_path):
    data = (FIXED / name).read_bytes()
    root = stage(tmp_path, {target(name): data})
    run = lint(root, [], [target(name)])
    lines = data.decode().splitlines()
    marked = {number for number, line in enumerate(lines, 1) if NO_FIX in line}
    assert {f.line for f in run.found} == marked, run.found
    fixable = {code for code in FIXES if code in name}
    assert fixable and all(f.code in fixable for f in run.found), run.found


def test_every_fixable_code_has_an_input():
    assert {code for code in FIXES} == {name[:5] for name in INPUTS}
    assert sorted(p.name for p in FIXED.glob("*.py")) == INPUTS


@pytest.mark.parametrize("name", [n for n in INPUTS if FIXES[n[:5]].safety == UNSAFE])
def test_unsafe_fixes_need_the_flag(name, tmp_path):
    data = (AUTOFIX / name).read_bytes()
    after, stderr = fixed(data, name, tmp_path)
    assert after == data
    assert "available with `--unsafe-fixes`" in stderr, stderr


@pytest.mark.parametrize("name", [n for n in INPUTS if FIXES[n[:5]].safety != UNSAFE])
def test_safe_fixes_need_no_flag(name, tmp_path):
    after, _ = fixed((AUTOFIX / name).read_bytes(), name, tmp_path)
    assert after == (FIXED / name).read_bytes()


# The rule pages' Examples show a case with no fix (a pytest-style hook, an event_loop
# override, a sync test): their Fix sections say so.
EXAMPLE_KEPT = {"AT105", "AT106", "AT200"}


@pytest.mark.parametrize("code", sorted(FIXES))
def test_fix_of_the_rule_pages_example(code, tmp_path):
    from test_docs import page, python_blocks, sections

    _, body, _ = sections(page(code))
    (example,) = python_blocks(body["Example"])
    root = stage(tmp_path, {"test_example.py": example.encode()})
    command(root, ["--fix", "--unsafe-fixes", "."])
    left = {f.code for f in lint(root, []).found}
    assert left == ({code} if code in EXAMPLE_KEPT else set())


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.py")))
def test_fixing_every_rule_fixture_twice(fixture, tmp_path):
    """On the rules' fixtures (tests/fixtures/): no failure, and a second --fix changes
    nothing and finds nothing left to fix."""
    root, args, name = stage_file(FIXTURES / fixture, tmp_path)
    _, _, first = command(root, ["--fix", "--unsafe-fixes", *args, name])
    once = (root / name).read_bytes()
    _, _, second = command(root, ["--fix", "--unsafe-fixes", *args, name])
    assert "Traceback" not in first + second and "left as it was" not in first, first
    assert (root / name).read_bytes() == once
    assert second == "" or "(0 fixed, " in second, second


# -- what stays as it was ------------------------------------------------------------------

def test_a_file_that_cannot_be_fixed_whole_stays_byte_for_byte(tmp_path):
    """ast parses a module-level `return` (flake8 and the plugin run), Python refuses to
    compile it: the fixed text would not compile either, so nothing is written."""
    data = b"import pytest\r\n\r\n\r\nasync def test_x():  # kept\r\n    pass\r\n\r\nreturn\r\n"
    root = stage(tmp_path, {"test_x.py": data})
    code, stdout, stderr = command(root, ["--fix", "test_x.py"])
    assert (root / "test_x.py").read_bytes() == data
    assert code == 1 and "AT100" in stdout, stdout
    assert stderr.startswith("flake8-async-tests: test_x.py left as it was, not fixed "
                             "(SyntaxError: "), stderr
    assert stderr.endswith("(0 fixed, 1 remaining).\n"), stderr


def test_a_syntax_error_is_left_alone_and_reported(tmp_path):
    data = b"async def test_x(:\n    pass\n"
    root = stage(tmp_path, {"test_x.py": data})
    code, stdout, _ = command(root, ["--fix", "--unsafe-fixes", "test_x.py"])
    assert (root / "test_x.py").read_bytes() == data
    assert code == 1 and "E999" in stdout, stdout


def test_noqa_and_per_file_ignores_are_not_fixed(tmp_path):
    data = (b"async def test_a():  # noqa: AT100\n    pass\n\n\n"
            b"async def test_b():  # noqa\n    pass\n")
    other = b"async def test_c():\n    pass\n"
    root = stage(tmp_path, {"test_a.py": data, "test_c.py": other})
    code, stdout, stderr = command(root, ["--fix", "--per-file-ignores=test_c.py:AT100", "."])
    assert (root / "test_a.py").read_bytes() == data
    assert (root / "test_c.py").read_bytes() == other
    assert code == 0 and stdout == "" and stderr == "", (stdout, stderr)


def test_select_and_ignore_limit_the_fixes(tmp_path):
    data = (AUTOFIX / "AT104.py").read_bytes()
    root = stage(tmp_path, {"test_x.py": data})
    code, stdout, _ = command(root, ["--fix", "--extend-ignore=AT104", "test_x.py"])
    assert (root / "test_x.py").read_bytes() == data and code == 0


# -- text, encodings, files ------------------------------------------------------------------

def test_bom_crlf_and_columns_after_non_ascii_text(tmp_path):
    """The column flake8 prints counts UTF-8 bytes; libcst counts characters."""
    data = ("\ufeffimport pytest\r\n\r\n\r\ndef test_x():\r\n"
            "    m = {'café': pytest.MagicMock()}\r\n    m['café'].assert_not_called()\r\n"
            ).encode("utf-8")
    after, _ = fixed(data, "x.py", tmp_path)
    assert after == ("\ufefffrom unittest.mock import MagicMock\r\n\r\nimport pytest\r\n"
                     "\r\n\r\ndef test_x():\r\n    m = {'café': MagicMock()}\r\n"
                     "    m['café'].assert_not_called()\r\n").encode("utf-8")


def test_a_declared_encoding_is_kept(tmp_path):
    data = ("# -*- coding: latin-1 -*-\nimport pytest\n\n\n"
            "@pytest.mark.asyncio\ndef test_\u00e9():  # caf\u00e9\n    pass\n").encode("latin-1")
    after, _ = fixed(data, "x.py", tmp_path)
    assert after == data.replace(b"@pytest.mark.asyncio\n", b"")


def test_permissions_are_kept(tmp_path):
    root = stage(tmp_path, {"test_x.py": b"async def test_x():\n    pass\n"})
    path = root / "test_x.py"
    path.chmod(0o640)
    command(root, ["--fix", "test_x.py"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes().startswith(b"import pytest\n\n\n@pytest.mark.asyncio\n")
    assert [p.name for p in root.iterdir()] == ["pytest.ini", "test_x.py"] or sorted(
        p.name for p in root.iterdir()) == [".async_tests_cache", "pytest.ini", "test_x.py"]


def test_a_file_that_cannot_be_written_stays_reported(tmp_path, monkeypatch):
    """A write that fails (a read-only folder, a full disk) leaves the file and its finding;
    no temporary file is left behind."""
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    root = stage(tmp_path, {"test_x.py": b"async def test_x():\n    pass\n"})
    monkeypatch.setattr(os, "replace", refuse)
    code, stdout, stderr = command(root, ["--fix", "--async-tests-no-cache", "test_x.py"])
    monkeypatch.undo()
    assert (root / "test_x.py").read_bytes() == b"async def test_x():\n    pass\n"
    assert sorted(p.name for p in root.iterdir()) == ["pytest.ini", "test_x.py"]
    assert code == 1 and "AT100" in stdout
    assert stderr == ("flake8-async-tests: test_x.py left as it was, cannot write "
                      "(Permission denied)\nFound 1 error (0 fixed, 1 remaining).\n"), stderr


# -- the command ---------------------------------------------------------------------------

def test_diff_prints_and_writes_nothing(tmp_path):
    data = (AUTOFIX / "AT104.py").read_bytes()
    root = stage(tmp_path, {"test_x.py": data})
    code, stdout, stderr = command(root, ["--diff", "test_x.py"])
    assert (root / "test_x.py").read_bytes() == data
    assert code == 1
    assert stdout.startswith("--- test_x.py\n+++ test_x.py\n@@ "), stdout
    assert "-@pytest.fixture\n+@pytest_asyncio.fixture\n" in stdout
    assert stderr == "Would fix 4 errors (0 remaining).\n"


def test_diff_of_a_clean_project(tmp_path):
    root = stage(tmp_path, {"test_x.py": b"def test_x():\n    pass\n"})
    assert command(root, ["--diff", "."]) == (0, "", "")


def test_fix_reports_what_remains_in_the_chosen_format(tmp_path):
    files = {"test_a.py": (AUTOFIX / "AT105.py").read_bytes(),
             "test_b.py": b"async def test_b():\n    pass\n"}
    root = stage(tmp_path, files)
    code, stdout, stderr = command(root, ["--fix", "--format=%(path)s:%(row)d:%(code)s", "."])
    assert code == 1
    assert stdout.splitlines() == ["./test_a.py:5:AT105", "./test_a.py:8:AT105",
                                   "./test_a.py:16:AT105", "./test_a.py:24:AT105"]
    assert stderr == ("Found 5 errors (1 fixed, 4 remaining) "
                      "(2 more fixes available with `--unsafe-fixes`).\n")
    assert (root / "test_b.py").read_bytes().startswith(b"import pytest\n")


def test_everything_fixed_exits_zero(tmp_path):
    root = stage(tmp_path, {"test_x.py": (AUTOFIX / "AT104.py").read_bytes()})
    code, stdout, stderr = command(root, ["--fix", "test_x.py"])
    assert (code, stdout, stderr) == (0, "", "Found 4 errors (4 fixed, 0 remaining).\n")


def test_plain_flake8_has_no_fix_option(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "flake8", "--fix", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "--fix" in proc.stderr, proc.stderr


def test_the_installed_command_fixes_a_project(tmp_path):
    """End to end: the console script, with -j 2 over several files."""
    files = {target(name): (AUTOFIX / name).read_bytes() for name in INPUTS}
    root = stage(tmp_path, files)
    script = Path(sys.executable).with_name("flake8-async-tests")
    proc = subprocess.run([str(script), "--fix", "--unsafe-fixes", "-j", "2", "."], cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr
    for name in INPUTS:
        assert (root / target(name)).read_bytes() == (FIXED / name).read_bytes(), name
    remaining = proc.stdout.splitlines()
    assert proc.returncode == 1 and remaining, proc.stdout
    assert proc.stderr.endswith("remaining).\n") and f"{len(remaining)} remaining" in \
        proc.stderr, proc.stderr


def write() -> None:
    import tempfile

    FIXED.mkdir(exist_ok=True)
    for name in INPUTS:
        with tempfile.TemporaryDirectory() as tmp:
            after, _ = fixed((AUTOFIX / name).read_bytes(), name, Path(tmp),
                             "--unsafe-fixes")
        (FIXED / name).write_bytes(after)
    for stale in FIXED.glob("*.py"):
        if stale.name not in INPUTS:
            stale.unlink()
    shutil.rmtree(AUTOFIX / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        raise SystemExit("usage: python tests/test_autofix.py --write")
