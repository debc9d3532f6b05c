"""Pathological inputs cost a bounded time per file, and never crash the plugin.

The bound (README, "Robustness"): each of these files takes at most PLUGIN_SECONDS of the
plugin's CPU time, as the plugin logs it under `flake8 -v`. Expected findings are exact;
where a finding needs astroid, which gives up on trees this deep, it may be missing but
nothing else may appear.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from harness import places, run_flake8

PLUGIN_SECONDS = 5.0
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "robustness.py"
TIMING = re.compile(r"flake8-async-tests: checked (\S+) in ([0-9.]+) s")

HEAD = """\
import asyncio
import time
import unittest
from unittest import mock

import pytest


async def f(*args):
    pass


m = mock.Mock()
c = 1


"""
# Expressions nested deeply. flake8 itself (pyflakes) gives up somewhat deeper than
# CLI_DEPTH, so deeper ones, up to what CPython's parser accepts, go through
# scripts/robustness.py, which runs this plugin alone through flake8's file checker.
CLI_DEPTH = 250
SCRIPT_DEPTH = 1800


def deep_expressions(n: int) -> dict[str, str]:
    return {
        "attrs": "m" + ".a" * n + "()",
        "binop": " + ".join(["f()"] * n),
        "not": "not " * n + "f()",
        "ifexp": "f() if c else " * n + "f()",
        "callchain": "f" + "()" * n,
        "methods": "m" + ".a()" * (n // 2),
        "subscript": "m" + "[0]" * n + "()",
        "power": " ** ".join(["2"] * n),
        "orchain": "f() or " * n + "f()",
        "sleep": "time.sleep(" + "1 + " * n + "1)",
        "patch": "mock.patch('os." + ".".join(["path"] * n) + "')",
        "spec": "mock.Mock(spec=m" + ".a" * n + ").b",
    }


DEEP_LINE = HEAD.count("\n") + 1  # the test function's line


def deep_source(expr: str) -> str:
    return HEAD + f"async def test_deep():\n    {expr}\n    f()\n"


def deep_expected(name: str) -> set[tuple[str, int, str]]:
    path = f"test_deep_{name}.py"
    found = {(path, DEEP_LINE, "AT100"), (path, DEEP_LINE + 2, "AT200")}
    if name in ("not", "ifexp", "orchain"):  # calls only truth-tested, or dropped
        found.add((path, DEEP_LINE + 1, "AT200"))
    if name == "sleep":
        found.add((path, DEEP_LINE + 1, "AT204"))
    return found


def long_source(tests: int) -> str:
    """A long test module: many async tests with mocks, fixtures and coroutines."""
    parts = [HEAD, "class Service:\n    async def fetch(self):\n        pass\n\n\n"]
    for i in range(tests):
        parts.append(textwrap.dedent(f"""\
            @pytest.fixture
            def service_{i}():
                return mock.Mock(spec=Service)


            @pytest.mark.asyncio
            async def test_{i}(service_{i}):
                f({i})
                await service_{i}.fetch()
                service_{i}.assert_called_once()


            """))
    return "".join(parts)


def wide_source() -> str:
    """Inference that branches: exponential call trees, many assignments, many mixins."""
    parts = [HEAD]
    parts.append("def f0(x):\n    return f\n\n\ndef g0(x):\n    return f\n\n\n")
    for k in range(1, 40):
        parts.append(f"def f{k}(x):\n    if x:\n        return f{k - 1}(x)\n"
                     f"    return g{k - 1}(x)\n\n\n"
                     f"def g{k}(x):\n    if x:\n        return g{k - 1}(x)\n"
                     f"    return f{k - 1}(x)\n\n\n")
    branches = "".join(f"    if x == {k}:\n        y = f if x else len\n" for k in range(300))
    parts.append("def pick(x):\n    y = f\n" + branches + "    return y\n\n\n")
    parts.append("".join(f"class M{k}:\n    async def m{k}(self):\n        pass\n\n\n"
                         for k in range(150)))
    parts.append("class Big(" + ", ".join(f"M{k}" for k in range(150)) + "):\n    pass\n\n\n")
    parts.append("class Spec:\n" + "".join(f"    a{k} = {k}\n" for k in range(2000)) + "\n\n")
    calls = "".join(f"        self.m{k}()\n" for k in range(0, 150, 50))
    reads = "".join(f"        s.a{k}\n        s.b{k}\n" for k in range(0, 2000, 4))
    parts.append("class TestWide(Big):\n    async def test_wide(self):\n        f39(1)()\n"
                 "        pick(3)()\n" + calls + "        s = mock.Mock(spec=Spec)\n" + reads)
    return "".join(parts)


def cyclic_source() -> str:
    """Class hierarchies Python cannot build, and a deep but legal one."""
    chain = "".join(f"class K{k}(K{k - 1}):\n    pass\n\n\n" for k in range(1, 100))
    return HEAD + textwrap.dedent("""\
        class A(B):
            async def run(self):
                pass


        class B(A):
            pass


        class C(C):
            pass


        class K0(unittest.TestCase):
            pass


        """) + chain + textwrap.dedent("""\
        class TestCycle(B, C):
            async def test_x(self):
                self.run()
                mock.patch.object(A, "missing")
                mock.Mock(spec=B).nothing


        class TestChain(K99):
            async def test_y(self):
                pass
        """)


CIRCULAR = {
    "pkg/__init__.py": "",
    "pkg/a.py": """\
        from pkg.b import B, helper_b
        from pkg import b
        from .c import *


        class A(B):
            async def run(self):
                pass


        async def helper_a():
            return helper_b()
        """,
    "pkg/b.py": """\
        from pkg.a import A, helper_a
        from pkg import a
        from .c import *


        class B(A):
            pass


        def helper_b():
            return helper_a()
        """,
    "pkg/c.py": """\
        from .a import *
        from .b import *
        from pkg.c import *
        """,
    "test_circular.py": """\
        from unittest import mock

        from pkg.a import A, helper_a
        from pkg.b import B, helper_b
        from pkg.c import *


        async def test_x():
            A().run()
            helper_a()
            helper_b()
            mock.patch("pkg.a.A.missing")
            mock.Mock(spec=B).nothing
            with mock.patch.object(B, "run", new=mock.Mock()):
                pass
        """,
}


def too_large_source() -> str:
    """Over the plugin's size limit (100,000 syntax nodes, not counting contexts and
    operators): the file is skipped. Each line holds 44 such nodes."""
    lines = [f"x{k} = " + " < ".join(["a"] * 41) + "\n" for k in range(2400)]
    return HEAD + "a = 1\n" + "".join(lines) + "\n\nasync def test_never_checked():\n    f()\n"


def write(root: Path, sources: dict[str, str]) -> None:
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    for name, text in sources.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_pathological_files_finish_in_bounded_time_without_crashing(tmp_path):
    root = tmp_path / "project"
    sources = {f"test_deep_{name}.py": deep_source(expr)
               for name, expr in deep_expressions(CLI_DEPTH).items()}
    sources["test_long.py"] = long_source(800)
    sources["test_wide.py"] = wide_source()
    sources["test_cyclic.py"] = cyclic_source()
    sources["test_too_large.py"] = too_large_source()
    sources.update({name: textwrap.dedent(text) for name, text in CIRCULAR.items()})
    write(root, sources)
    assert sources["test_long.py"].count("\n") > 9000

    found, proc = run_flake8(root, ["--async-tests-report-errors", "-v", "-j", "2"])
    found = places(found)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert not [f for f in found if f[2] == "AT000"], found

    # Every test module was checked, each within the bound.
    times = {Path(path).name: float(seconds) for path, seconds in TIMING.findall(proc.stderr)}
    assert set(times) == {Path(name).name for name in sources
                          if Path(name).name.startswith("test_")}, proc.stderr[-3000:]
    slow = {name: seconds for name, seconds in times.items() if seconds > PLUGIN_SECONDS}
    assert not slow, slow

    def of(path: str) -> set[tuple[str, int, str]]:
        return {f for f in found if f[0] == path}

    for name in deep_expressions(CLI_DEPTH):
        assert of(f"test_deep_{name}.py") == deep_expected(name), name
    dropped = [n for n, line in enumerate(sources["test_long.py"].splitlines(), 1)
               if line.startswith("    f(")]
    assert len(dropped) == 800
    assert of("test_long.py") == {("test_long.py", n, "AT200") for n in dropped}
    # Wide inference: only the reads the spec does not have; the calls through branching
    # inference and the 150-base class are uncertain, so silent.
    assert of("test_wide.py") == {
        ("test_wide.py", n, "AT304") for n, line in enumerate(
            sources["test_wide.py"].splitlines(), 1) if line.startswith("        s.b")}
    # Classes Python cannot build and circular imports: nothing about them is certain.
    assert of("test_cyclic.py") == set()
    # (helper_a is bound after pkg.a's star import: an async def, whatever the star binds)
    assert of("test_circular.py") == {("test_circular.py", 8, "AT100"),
                                      ("test_circular.py", 10, "AT200")}
    assert of("test_too_large.py") == set()
    assert re.search(r"skipped \S*test_too_large.py: more than 100000 syntax nodes", proc.stderr)


def test_deeper_than_flake8_itself_handles(tmp_path):
    """Nesting as deep as the parser accepts; pyflakes fails on these first, so the plugin
    runs alone, through scripts/robustness.py (flake8's file checker, this plugin only)."""
    root = tmp_path / "project"
    write(root, {f"test_deep_{name}.py": deep_source(expr)
                 for name, expr in deep_expressions(SCRIPT_DEPTH).items()})
    proc = subprocess.run([sys.executable, str(SCRIPT), "--no-stdlib", "--jobs", "1", str(root)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "files checked: 12" in proc.stdout
    assert "AT000 (internal errors): 0" in proc.stdout
    assert "tracebacks: 0" in proc.stdout
    times = [float(t) for t in re.findall(r"^ +([0-9.]+) +/", proc.stdout, flags=re.M)]
    assert times and max(times) <= PLUGIN_SECONDS, proc.stdout


def test_calls_past_the_inference_budget_are_left_alone_and_said_so(tmp_path, monkeypatch):
    """A file that asks astroid more questions than its budget allows: the calls asked
    after that are not reported, and each says why under --async-tests-explain."""
    from flake8_async_tests.inference import session
    from harness import lint

    monkeypatch.setattr(session.Budget.__init__, "__defaults__", (3, session.FILE_SECONDS))
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Client:
            async def fetch(self):
                pass


        def connect(fast):
            return Client() if fast else None
        '''), encoding="utf-8")
    calls = "".join("    connect(True).fetch()\n" for _ in range(6))
    (tmp_path / "test_budget.py").write_text(
        f"from app import connect\n\n\ndef test_sync():\n{calls}", encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache", "--async-tests-explain"])
    found = [f.line for f in run.found]
    spent = [s.line for s in run.silences if s.reason == "the file's inference budget is used up"]
    assert found and spent and sorted(found + spent) == list(range(5, 11)), run.stderr
    assert max(found) < min(spent), (found, spent)
