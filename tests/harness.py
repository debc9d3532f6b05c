"""Run flake8 on fixture files and compare its findings with the ones written beside the lines.

A fixture marks each expected finding with a comment on the reported line:
    async def test_x():  # expect: AT100.asyncio:1 name="test_x"
    mock.patch.object(Api, "fecth")  # expect: AT304.patch-target:5 attr="fecth"
Each expectation is CODE[.VARIANT]:COLUMN, then optional FIELD=VALUE pairs; several may share
a comment. The variant is required when the code has several messages (rules.py) and absent
when it has one; the column is the one flake8 prints (1-based); fields, when given, must equal
the message's fields (names as the message shows them, without quotes). Everything is
compared exactly: a finding nobody expected fails the test, and so does an expectation
nothing matched.

Header comments before the first code line set up the run:
    # pytest-ini: asyncio_mode = auto      (a line of the [pytest] section of a pytest.ini)
    # flake8-args: --async-tests-mode=auto  (extra flake8 arguments)
    # file-name: test_thing.py             (name to lint it under; default: test_<fixture>.py)
A fixture directory (tests/fixtures/projects/NAME/) is a small project, copied as is; its
expectations may sit in any of its files, and flake8-args.txt holds extra arguments.

`lint` runs flake8's own application (its option manager, plugin loading, style guide,
`# noqa` and formatter) inside this process; `run_flake8` runs the real `flake8` command in a
subprocess, for the end-to-end tests.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flake8.main.application import Application

from flake8_async_tests.rules import BY_CODE, ONLY

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#.*?\bexpect:\s*([^#]*)")
SILENT = re.compile(r"#.*?\bsilent:\s*([^#]*)")
EXPLAINED = re.compile(r"^(.+?):(\d+):(\d+): (AT\d{3}) silent: (.*)$")
CODE = re.compile(r"^(AT\d{3})(?:\.([a-z][a-z0-9-]*))?:(\d+)$")
HEADER = re.compile(r"^#\s*(pytest-ini|flake8-args|file-name):\s*(.*)$")
TEXT_FORMAT = "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s"


@dataclass(frozen=True)
class Finding:
    """One line of flake8's output, read back through the registry."""

    path: str
    line: int
    col: int  # as flake8 prints it: 1-based
    code: str
    text: str
    variant: str | None = None  # None: no template of the code produced the text
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, int, int, str, str | None]:
        return (self.path, self.line, self.col, self.code, self.variant)


@dataclass(frozen=True)
class Expectation:
    path: str
    line: int
    col: int
    code: str
    variant: str
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, int, int, str, str | None]:
        return (self.path, self.line, self.col, self.code, self.variant)

    def __str__(self) -> str:
        name = f"{self.code}.{self.variant}" if self.variant else self.code
        pairs = "".join(f" {k}={v!r}" for k, v in self.fields.items())
        return f"{self.path}:{self.line}: {name}:{self.col}{pairs}"


@dataclass(frozen=True)
class Silence:
    """A place a rule looked at and left alone, and why (--async-tests-explain), or a
    fixture's `# silent: CODE reason="..."` comment (the whole reason, as printed)."""

    path: str
    line: int
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} silent: {self.reason}"


@dataclass
class Run:
    found: list[Finding]
    returncode: int
    stderr: str  # what flake8 printed to stderr, and warnings it logged

    @property
    def silences(self) -> list[Silence]:
        return explained(self.stderr)


def explained(stderr: str) -> list[Silence]:
    found = []
    for line in stderr.splitlines():
        match = EXPLAINED.match(line)
        if match:
            path = Path(os.path.normpath(match.group(1))).as_posix()
            found.append(Silence(path, int(match.group(2)), match.group(4), match.group(5)))
    return found


def expected_silences(path: Path, relative_to: Path) -> list[Silence]:
    """`# silent: AT100 reason="..."` comments: the rule must have explained why it said
    nothing on that line, with exactly that reason."""
    rel = path.relative_to(relative_to).as_posix()
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = SILENT.search(line)
        if not match:
            continue
        tokens = shlex.split(match.group(1))
        if len(tokens) != 2 or not re.fullmatch(r"AT\d{3}", tokens[0]) \
                or not tokens[1].startswith("reason="):
            raise ValueError(f"{rel}:{number}: write # silent: CODE reason=\"...\"")
        found.append(Silence(rel, number, tokens[0], tokens[1][len("reason="):]))
    return found


def compare_silences(want: list[Silence], found: list[Silence]) -> list[str]:
    return [f"expected {w} (found: {[str(f) for f in found if f.line == w.line]})"
            for w in want if not any(f.path == w.path and f.line == w.line
                                     and f.code == w.code and w.reason == f.reason
                                     for f in found)]


# -- expectations --------------------------------------------------------------------------

def parse_expectations(text: str, path: str, line: int) -> list[Expectation]:
    """The expectations of one `# expect:` comment; a malformed one raises ValueError."""
    found: list[Expectation] = []
    for token in shlex.split(text, posix=True):
        match = CODE.match(token)
        if match:
            code, variant, col = match.group(1), match.group(2) or ONLY, int(match.group(3))
            rule = BY_CODE.get(code)
            if rule is None:
                raise ValueError(f"{path}:{line}: unknown code {code}")
            names = [v.name for v in rule.variants]
            if variant not in names:
                raise ValueError(f"{path}:{line}: {code} needs one of the variants {names}"
                                 if names != [ONLY] else
                                 f"{path}:{line}: {code} has one message; write {code}:{col}")
            found.append(Expectation(path, line, col, code, variant, {}))
            continue
        key, sep, value = token.partition("=")
        if not sep or not found:
            raise ValueError(f"{path}:{line}: cannot read {token!r} in an expectation")
        expectation = found[-1]
        if key not in BY_CODE[expectation.code].variant(expectation.variant).fields:
            raise ValueError(f"{path}:{line}: {expectation.code} has no field {key!r}")
        expectation.fields[key] = value
    return found


def expected(path: Path, relative_to: Path) -> list[Expectation]:
    rel = path.relative_to(relative_to).as_posix()
    found: list[Expectation] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            found.extend(parse_expectations(match.group(1), rel, number))
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


def compare(want: list[Expectation], found: list[Finding]) -> list[str]:
    """What differs between expectations and findings, one line each (empty: they agree)."""
    problems = [f"{f.path}:{f.line}:{f.col}: {f.code} message matches no template in "
                f"rules.py: {f.text}" for f in found if f.variant is None]
    left = [f for f in found if f.variant is not None]
    for expectation in want:
        same = [f for f in left if f.key == expectation.key]
        match = next((f for f in same if all(f.fields.get(k) == v
                                             for k, v in expectation.fields.items())), None)
        if match is None:
            got = "; ".join(f"{f.fields}" for f in same)
            problems.append(f"expected {expectation}" + (f", found fields {got}" if got else
                                                         ", not found"))
            continue
        left.remove(match)
    problems.extend(f"unexpected {f.path}:{f.line}: {f.code}"
                    f"{'.' + f.variant if f.variant else ''}:{f.col} {f.text}" for f in left)
    return problems


# -- running flake8 ------------------------------------------------------------------------

def read_output(text: str) -> list[Finding]:
    found = []
    for line in text.splitlines():
        path, row, col, code, message = line.split(":", 4)
        path = Path(os.path.normpath(path)).as_posix()
        parsed = BY_CODE[code].parse(message) if code in BY_CODE else None
        variant, fields = parsed if parsed else (None, {})
        found.append(Finding(path, int(row), int(col), code, message, variant, fields))
    return found


class _Records(logging.Handler):
    """The plugin's warnings and flake8's errors (not flake8's notice that the --format
    string is not a formatter's name, which it then uses as the format)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.name.startswith("flake8.async_tests"):
            self.lines.append(self.format(record))


def lint(root: Path, args: list[str], targets: list[str] | None = None,
         select: str = "AT") -> Run:
    """flake8's application in this process, in `root`, on `targets` (default: `.`)."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "flake8.out"
        argv = [f"--select={select}", f"--format={TEXT_FORMAT}", "--no-show-source",
                "--jobs=1", f"--output-file={output}", *args, *(targets or ["."])]
        records = _Records()
        logger = logging.getLogger("flake8")
        logger.addHandler(records)
        stdout, stderr = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        try:
            os.chdir(root)
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                app = Application()
                app.run(argv)
                returncode = app.exit_code()
        finally:
            os.chdir(cwd)
            logger.removeHandler(records)
        text = output.read_text(encoding="utf-8") if output.exists() else ""
    return Run(read_output(text), returncode,
               stdout.getvalue() + stderr.getvalue() + "\n".join(records.lines))


FLAKE8 = [sys.executable, "-m", "flake8"]


def run_flake8(root: Path, args: list[str], targets: list[str] | None = None,
               select: str = "AT", command: list[str] | None = None, stdin: str | None = None,
               ) -> tuple[list[Finding], subprocess.CompletedProcess]:
    """The real flake8 (or `command`, a script that runs it) on `targets` in `root`."""
    cmd = [*(command or FLAKE8), f"--select={select}", f"--format={TEXT_FORMAT}",
           "--no-show-source", *args, *(targets or ["."])]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env, timeout=600,
                          input=stdin)
    return read_output(proc.stdout), proc


def places(found: list[Finding]) -> set[tuple[str, int, str]]:
    """(path, line, code) of each finding: for tests that look at where, not what."""
    return {(f.path, f.line, f.code) for f in found}


# -- fixtures ------------------------------------------------------------------------------

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


def check_fixture(fixture: Path, tmp: Path, end_to_end: bool = False,
                  ) -> tuple[list[Expectation], list[Finding], int, str]:
    """(expected, found, flake8's exit code, its stderr) for a fixture file or project.
    The stderr holds the --async-tests-explain lines (see `explained`)."""
    if fixture.is_dir():
        root = stage_project(fixture, tmp)
        want: list[Expectation] = []
        for path in sorted(root.rglob("*.py")):
            want.extend(expected(path, root))
        args_file = root / "flake8-args.txt"
        args = args_file.read_text(encoding="utf-8").split() if args_file.exists() else []
        targets = None
    else:
        root, args, name = stage_file(fixture, tmp)
        want = expected(root / name, root)
        targets = [name]
    args = ["--async-tests-report-errors", "--async-tests-explain", *args]
    if end_to_end:
        found, proc = run_flake8(root, args, targets)
        return want, found, proc.returncode, proc.stderr
    run = lint(root, args, targets)
    return want, run.found, run.returncode, run.stderr
