"""The standalone command runs flake8's own application with this plugin alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from harness import places, read_output, run_flake8

TEXT_FORMAT = "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s"
SOURCE = ("import os\n\n\nasync def test_x():  \n    pass\n\n\n"
          "async def test_y():  # noqa: AT100\n    pass\n")


def standalone(root: Path, *args: str, module: bool = False) -> subprocess.CompletedProcess:
    if module:
        command = [sys.executable, "-m", "flake8_async_tests"]
    else:
        command = [str(Path(sys.executable).with_name("flake8-async-tests"))]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run([*command, *args], cwd=root, capture_output=True, text=True,
                          timeout=300, env=env)


def project(tmp_path: Path) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nper-file-ignores =\n    test_ignored.py: AT100\n", encoding="utf-8")
    for name in ("test_a.py", "test_b.py", "test_ignored.py"):
        (tmp_path / name).write_text(SOURCE, encoding="utf-8")
    (tmp_path / "test_broken.py").write_text("def test_z(:\n", encoding="utf-8")
    return tmp_path


def test_only_this_plugin_runs_with_flake8s_controls(tmp_path):
    root = project(tmp_path)
    proc = standalone(root, f"--format={TEXT_FORMAT}", "-j", "2", ".")
    assert proc.returncode == 1, proc.stderr
    found = {(f.path, f.line, f.code) for f in read_output(proc.stdout)}
    # No F401 or W291 (pyflakes, pycodestyle); per-file-ignores and # noqa apply; E999 stays.
    assert {(p, line, code) for p, line, code in found if code != "E999"} == {
        ("test_a.py", 4, "AT100"), ("test_b.py", 4, "AT100")}
    assert {code for _, _, code in found} == {"AT100", "E999"}
    # The same AT findings as flake8 itself gives with --select AT.
    flake8_found, _ = run_flake8(root, [], select="AT")
    assert places(flake8_found) == {f for f in found if f[2] == "AT100"}


def test_module_entry_point_and_clean_exit(tmp_path):
    (tmp_path / "test_ok.py").write_text("def test_ok():\n    pass\n", encoding="utf-8")
    proc = standalone(tmp_path, "test_ok.py", module=True)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_github_annotations(tmp_path):
    root = project(tmp_path)
    for spelling in (["--format=github"], ["--format", "github"]):
        proc = standalone(root, *spelling, "test_a.py")
        assert proc.returncode == 1
        assert proc.stdout.startswith(
            "::error file=test_a.py,line=4,col=1,title=AT100::AT100 async test 'test_x' "), \
            proc.stdout


def test_rule_prints_a_page_and_lists_every_code(tmp_path):
    from flake8_async_tests.rules import RULES

    repo = Path(__file__).resolve().parent.parent
    proc = standalone(tmp_path, "rule", "at304")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (repo / "docs" / "rules" / "AT304.md").read_text(encoding="utf-8")
    listing = standalone(tmp_path, "rule", module=True)
    assert listing.returncode == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()] == [r.code for r in RULES]
    assert "AT200  coroutine-never-awaited" in listing.stdout
    missing = standalone(tmp_path, "rule", "AT999")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert "no rule 'AT999'" in missing.stderr


def test_sarif_output_for_code_scanning(tmp_path):
    import json

    root = project(tmp_path)
    proc = standalone(root, "--format=sarif", "test_a.py", "test_broken.py")
    assert proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout)
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["AT100", "E999"]
    assert rules[0]["name"] == "AsyncTestWithoutMarker"
    assert rules[0]["shortDescription"]["text"].startswith("Async test with no async marker")
    assert "flake8-async-tests rule AT100" in rules[0]["help"]["text"]
    found = [(r["ruleId"], r["ruleIndex"], r["locations"][0]["physicalLocation"]["artifactLocation"]
              ["uri"], r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]]
    assert found == [("AT100", 0, "test_a.py", {"startLine": 4, "startColumn": 1}),
                     # the column flake8 prints for it
                     ("E999", 1, "test_broken.py", {"startLine": 1, "startColumn": 13})]
    assert run["results"][0]["message"]["text"].startswith("async test 'test_x' has no")
    # plain flake8 has the same formatter
    flake8_proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=AT", "--format=async-tests-sarif",
         "test_a.py"], cwd=root, capture_output=True, text=True, timeout=300)
    assert json.loads(flake8_proc.stdout)["runs"][0]["results"] == run["results"][:1]


def test_noqa_and_benchmark_without_the_token_walk(tmp_path):
    """The command skips flake8's walk over tokens (no line-based check runs): a `# noqa`
    at the end of a statement over several lines still covers each of them as flake8
    reads it (for a string over several lines), and --benchmark, which counts tokens,
    still walks them."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_noqa.py").write_text(
        'async def helper(n):\n    pass\n\n\ndef test_sync():\n    helper("""\n        1\n'
        '    """)  # noqa: AT200\n    helper("""\n        2\n    """)\n'
        '    x = 1 + \\\n        helper(3)  # noqa: AT200\n    helper(4)\n'
        '    y = """\n    """  # noqa\n', encoding="utf-8")
    proc = standalone(tmp_path, f"--format={TEXT_FORMAT}", "test_noqa.py")
    assert {(f.line, f.code) for f in read_output(proc.stdout)} == {(9, "AT200"), (14, "AT200")}
    flake8_found, _ = run_flake8(tmp_path, [], ["test_noqa.py"], select="AT")
    assert places(flake8_found) == {("test_noqa.py", 9, "AT200"), ("test_noqa.py", 14, "AT200")}
    proc = standalone(tmp_path, "--benchmark", "test_noqa.py")
    tokens = next(line for line in proc.stdout.splitlines()
                  if line.endswith("total tokens processed"))
    assert int(float(tokens.split()[0])) > 20, proc.stdout


def test_a_config_value_flake8_rejects_is_an_error_not_a_traceback(tmp_path):
    # flake8 6 and later reject an inline comment in a list option (dask's setup.cfg had
    # them), raising ValueError: plain flake8 prints the traceback, this command one line.
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nignore =\n    E20,  # extra space\n", encoding="utf-8")
    (tmp_path / "test_a.py").write_text(SOURCE, encoding="utf-8")
    proc = standalone(tmp_path, ".")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("flake8-async-tests: error: Error code '#'"), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


NOQA_SOURCE = (
    'import os\n\n\ndef f(a,\n      b):  # a comment\n    s = """one\n    two"""\n'
    '    t = ("a"\n         "b")\n    u = 1 + \\\n        2\n    v = f"{a}\n"\n'
    '    w = f"""{a\n    }"""\n\n    # only a comment\n    return s; x = \\\n        3\n')


def test_the_lines_for_noqa_are_flake8s_from_the_tokens_up_to_the_last_finding():
    """The command maps each finding's line to the lines flake8 searches for `# noqa`
    from the tokens up to the last finding's line range: every line up to there maps as
    flake8 maps it from the whole file's tokens."""
    import argparse

    from flake8.processor import FileProcessor

    from flake8_async_tests.cli import _tokens_through

    options = argparse.Namespace(hang_closing=False, indent_size=4, max_line_length=79,
                                 max_doc_length=None, verbose=0)
    lines = NOQA_SOURCE.splitlines(keepends=True)
    reference = FileProcessor("t.py", options, lines=list(lines))
    whole, every = reference._noqa_line_mapping, reference.file_tokens
    assert whole[6] == whole[7] == '    s = """one\n    two"""\n'  # (not vacuous)
    assert whole[10] == whole[11] and whole[8] != whole[9]
    for last in range(1, len(lines) + 2):
        processor = FileProcessor("t.py", options, lines=list(lines))
        _tokens_through(processor, last)
        tokens = processor.__dict__["file_tokens"]
        assert tokens == every[:len(tokens)]
        assert len(tokens) < len(every) - 2 or last >= len(lines) - 1  # (read less)
        mapped = processor._noqa_line_mapping
        assert {n: mapped.get(n) for n in range(1, last + 1)} == {
            n: whole.get(n) for n in range(1, last + 1)}, last


# The command, run in a new process that then prints which of flake8's other checkers it
# imported.
IMPORTS_AFTER_RUN = """
import sys
from flake8_async_tests import cli
status = cli.main(sys.argv[1:])
print(sorted({"pyflakes", "pycodestyle", "mccabe"} & set(sys.modules)), file=sys.stderr)
raise SystemExit(status)
"""


def test_other_checkers_are_not_imported_unless_an_option_may_be_theirs(tmp_path):
    root = project(tmp_path)
    command = [sys.executable, "-c", IMPORTS_AFTER_RUN, "-j", "1", f"--format={TEXT_FORMAT}",
               "test_a.py"]
    alone = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert (alone.returncode, alone.stderr) == (1, "[]\n")
    assert [(f.line, f.code) for f in read_output(alone.stdout)] == [(4, "AT100")]
    # mccabe's option: every plugin is loaded, as flake8 loads them, and the run goes on.
    theirs = subprocess.run([*command, "--max-complexity", "3"], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert (theirs.returncode, theirs.stderr) == (1, "['mccabe', 'pycodestyle', 'pyflakes']\n")
    assert theirs.stdout == alone.stdout
    # An option no plugin has: argparse refuses it once, as flake8 does.
    unknown = standalone(root, "--no-such-option", "test_a.py")
    assert unknown.returncode == 2
    assert unknown.stderr.count("unrecognized arguments: --no-such-option") == 1
    assert unknown.stdout == ""
    # An abbreviation is read against every plugin's options, as flake8 reads it: `--bu`
    # is `--bug-report` or pyflakes' `--builtins`.
    short = standalone(root, "--bu", "test_a.py")
    assert short.returncode == 2
    assert short.stderr.count("ambiguous option: --bu could match --bug-report, --builtins") == 1


def test_version_names_only_the_plugins_that_run(tmp_path):
    ours = standalone(tmp_path, "--version").stdout
    flake8 = subprocess.run([str(Path(sys.executable).with_name("flake8")), "--version"],
                            capture_output=True, text=True, timeout=300).stdout
    assert "flake8-async-tests: " in ours and "pyflakes" not in ours
    assert "pyflakes" in flake8


def test_usage_help_and_usage_errors_name_this_command(tmp_path):
    """argparse's and this plugin's usage errors say which program refused the option (plain
    flake8's say `flake8:`, tests/test_cli_errors.py), also where every plugin was loaded."""
    (tmp_path / "test_a.py").write_text(SOURCE, encoding="utf-8")
    usage = "usage: flake8-async-tests [options] file file ...\n"
    unknown = standalone(tmp_path, "--no-such-option", "test_a.py")
    assert (unknown.returncode, unknown.stderr) == (
        2, usage + "flake8-async-tests: error: unrecognized arguments: --no-such-option\n")
    short = standalone(tmp_path, "--bu", "test_a.py")  # (read with every plugin's options)
    assert short.stderr.startswith(usage + "flake8-async-tests: error: ambiguous option: --bu")
    value = standalone(tmp_path, "--async-tests-mode=sometimes", "test_a.py")
    assert (value.returncode, value.stderr) == (
        2, "flake8-async-tests: error: argument --async-tests-mode: invalid choice: "
           "'sometimes' (choose from 'detect', 'strict', 'auto')\n")
    assert standalone(tmp_path, "--help").stdout.startswith(usage)
