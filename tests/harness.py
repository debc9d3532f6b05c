"""Run the real flake8 on fixture files and read the findings they expect.

A fixture file marks each expected finding with a comment on the reported line:
    async def test_x():  # expect: AT100
Header comments before the first code line set up the run:
    # pytest-ini: asyncio_mode = auto      (a line of the [pytest] section of a pytest.ini)
    # flake8-args: --async-tests-mode=auto  (extra flake8 arguments)
    # file-name: test_thing.py             (name to lint it under; default: test_<fixture>.py)
A fixture directory (tests/fixtures/projects/NAME/) is a small project, copied as is;
its expectations may sit in any of its files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#.*\bexpect:\s*(AT\d{3}(?:\s*,\s*AT\d{3})*)")
HEADER = re.compile(r"^#\s*(pytest-ini|flake8-args|file-name):\s*(.*)$")
FORMAT = "%(path)s:%(row)d:%(col)d:%(code)s"


def expected(path: Path, relative_to: Path) -> set[tuple[str, int, str]]:
    found = set()
    rel = path.relative_to(relative_to).as_posix()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            for code in match.group(1).split(","):
                found.add((rel, number, code.strip()))
    return found


def headers(path: Path) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {"pytest-ini": [], "flake8-args": [], "file-name": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.match(line)
        if match:
            result[match.group(1)].append(match.group(2).strip())
    return result


FLAKE8 = [sys.executable, "-m", "flake8"]


def run_flake8(root: Path, args: list[str], targets: list[str] | None = None,
               select: str = "AT", command: list[str] | None = None, stdin: str | None = None,
               ) -> tuple[set[tuple[str, int, str]], subprocess.CompletedProcess]:
    """flake8 (or `command`, a script that runs it) on `targets` in `root`."""
    cmd = [*(command or FLAKE8), f"--select={select}", f"--format={FORMAT}",
           "--no-show-source", *args, *(targets or ["."])]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env, timeout=600,
                          input=stdin)
    findings = set()
    for line in proc.stdout.splitlines():
        path, row, _col, code = line.rsplit(":", 3)
        findings.add((Path(os.path.normpath(path)).as_posix(), int(row), code))
    return findings, proc


def stage_file(fixture: Path, tmp: Path) -> tuple[Path, list[str], str]:
    """Copy a single-file fixture into a fresh project; returns (root, flake8 args, name)."""
    head = headers(fixture)
    root = tmp / "project"
    root.mkdir()
    ini = ["[pytest]", *head["pytest-ini"]]
    (root / "pytest.ini").write_text("\n".join(ini) + "\n", encoding="utf-8")
    name = head["file-name"][0] if head["file-name"] else f"test_{fixture.stem.lower()}.py"
    (root / name).write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    return root, head["flake8-args"], name


def stage_project(fixture: Path, tmp: Path) -> Path:
    root = tmp / fixture.name
    shutil.copytree(fixture, root)
    return root


def check_fixture(fixture: Path, tmp: Path) -> tuple[set, set, subprocess.CompletedProcess]:
    """(expected, found, process) for a fixture file or project directory."""
    if fixture.is_dir():
        root = stage_project(fixture, tmp)
        want: set = set()
        args: list[str] = []
        for path in sorted(root.rglob("*.py")):
            want |= expected(path, root)
        args_file = root / "flake8-args.txt"
        if args_file.exists():
            args = args_file.read_text(encoding="utf-8").split()
        found, proc = run_flake8(root, ["--async-tests-report-errors", *args])
        return want, found, proc
    root, args, name = stage_file(fixture, tmp)
    want = {(name, line, code) for _, line, code in expected(root / name, root)}
    found, proc = run_flake8(root, ["--async-tests-report-errors", *args], [name])
    return want, found, proc


TEXT_FORMAT = "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s"


def run_flake8_messages(root: Path, args: list[str], targets: list[str] | None = None,
                        select: str = "AT", command: list[str] | None = None,
                        ) -> tuple[list[tuple[str, int, int, str, str]],
                                   subprocess.CompletedProcess]:
    """Like run_flake8, keeping each finding's column and message text."""
    cmd = [*(command or FLAKE8), f"--select={select}", f"--format={TEXT_FORMAT}",
           "--no-show-source", *args, *(targets or ["."])]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env, timeout=300)
    findings = []
    for line in proc.stdout.splitlines():
        path, row, col, code, text = line.split(":", 4)
        findings.append((Path(os.path.normpath(path)).as_posix(), int(row), int(col), code, text))
    return findings, proc
