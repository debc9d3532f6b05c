"""The plugin on a fixed sample of the installed standard library and its test suite, every
file checked as a test module: odd files (bad encodings, syntax errors, byte-order marks,
huge literals, Python 2 grammar) and a few hundred ordinary ones. No AT000, no traceback,
flake8 exits normally, and every file that parses was checked by the plugin.

scripts/robustness.py runs the whole standard library the same way.
"""

from __future__ import annotations

import ast
import re
import sysconfig
import warnings
from pathlib import Path

import pytest

from harness import places, run_flake8

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Present in some Python versions only; missing ones are left out.
ODD = [
    "lib2to3/tests/data/*.py", "lib2to3/tests/data/fixers/*.py",
    "lib2to3/tests/data/fixers/myfixes/*.py",
    "test/tokenizedata/*.py", "test/test_future_stmt/badsyntax_*.py", "test/badsyntax_*.py",
    "test/bad_coding*.py", "test/coding20731.py", "test/encoded_modules/*.py",
    "test/test_source_encoding.py", "test/test_utf8source.py",
    "test/test_unicode_identifiers.py", "test/test_fstring.py", "test/test_grammar.py",
    "test/test_patma.py", "test/test_syntax.py", "test/test_tokenize.py",
    "pydoc_data/topics.py", "encodings/cp1252.py", "encodings/mac_roman.py",
    "encodings/cp037.py", "unicodedata.py", "test/test_coroutines.py", "test/test_asyncgen.py",
    "test/test_contextlib_async.py", "unittest/test/testmock/testasync.py",
    "test/test_unittest/testmock/testasync.py", "unittest/test/test_async_case.py",
    "test/test_unittest/test_async_case.py",
]
ORDINARY = 200
ORDINARY_MAX_BYTES = 12_000
SKIP_PARTS = {"site-packages", "dist-packages", "__pycache__"}
TIMING = re.compile(r"flake8-async-tests: checked (\S+) in ([0-9.]+) s")


def sample() -> list[str]:
    odd = sorted({p for pattern in ODD for p in STDLIB.glob(pattern) if p.is_file()})
    everything = sorted(p for p in STDLIB.rglob("*.py")
                        if not SKIP_PARTS & set(p.relative_to(STDLIB).parts))
    small = [p for p in everything if p not in odd and p.stat().st_size <= ORDINARY_MAX_BYTES]
    step = max(1, len(small) // ORDINARY)
    ordinary = small[::step][:ORDINARY]
    return [p.relative_to(STDLIB).as_posix() for p in odd + ordinary]


def _parses(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (invalid escapes in old test data)
            ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return False
    return True


def test_standard_library_sample(tmp_path):
    files = sample()
    if len(files) < 150:
        pytest.skip("the standard library's sources are not installed")
    # --disable-noqa: files marked `# flake8: noqa` are checked too.
    found, proc = run_flake8(STDLIB, ["--isolated", "--disable-noqa", "--async-tests-files=*.py",
                                      f"--async-tests-cache-dir={tmp_path / 'cache'}",
                                      "--async-tests-report-errors", "-v", "-j", "2"],
                             files, select="AT,E902,E999")
    found = places(found)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert [f for f in found if f[2] == "AT000"] == []
    # Some sample files cannot be read or parsed; flake8 reports those itself (each one
    # Python cannot parse either; flake8 reads a file with a bad coding cookie as latin-1,
    # and on Python 3.12 and later parses some of those). All the others went through the
    # plugin.
    unparsed = {path for path, _, code in found if code in ("E902", "E999")}
    checked = {Path(path).as_posix() for path, _ in TIMING.findall(proc.stderr)}
    assert unparsed and unparsed <= {f for f in files if not _parses(STDLIB / f)}, unparsed
    assert checked == set(files) - unparsed, sorted(set(files) - unparsed - checked)[:20]
