"""The benchmark's pure parts (benchmarks/): the generated corpus, the summaries and writers.

Nothing here downloads, builds venvs or times anything.
"""

from __future__ import annotations

import ast
import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import corpora  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402
import synthetic  # noqa: E402

from harness import run_flake8  # noqa: E402


def test_generated_corpus_is_valid_python_and_deterministic(tmp_path):
    written = synthetic.generate(tmp_path / "a", 3)
    synthetic.generate(tmp_path / "b", 3)
    assert [p.name for p in written] == ["test_mod_00000.py", "test_mod_00001.py",
                                         "test_mod_00002.py"]
    files = corpora.python_files(tmp_path / "a", ".")
    assert len(files) == 3 + synthetic.PROJECT_MODULES + 3  # tests, modules, base/init/conftest
    for name in files:
        source = (tmp_path / "a" / name).read_text(encoding="utf-8")
        ast.parse(source, name)
        assert source == (tmp_path / "b" / name).read_text(encoding="utf-8")
    assert corpora.count_lines(tmp_path / "a", files) > 100


def test_generated_findings_are_the_expected_ones(tmp_path):
    """The deliberate findings of 20 modules (one of each kind) are what the plugin reports."""
    synthetic.generate(tmp_path, 20)
    found, proc = run_flake8(tmp_path, ["--isolated"], ["tests"])
    assert proc.stderr == "", proc.stderr
    assert Counter(f.code for f in found) == synthetic.expected_findings(20)


def test_generated_project_keeps_its_tests_as_the_project_grows(tmp_path):
    small = synthetic.generate_project(tmp_path / "small", 40, tests=40)
    large = synthetic.generate_project(tmp_path / "large", 100, tests=40)
    assert [p.relative_to(tmp_path / "small") for p in small] == [
        p.relative_to(tmp_path / "large") for p in large]
    for a, b in zip(small, large):
        assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
    assert len(list((tmp_path / "large" / "synthproj").rglob("mod_*.py"))) == 100
    assert len({p.parent for p in large}) == 2  # 20 test modules to a folder
    found, proc = run_flake8(tmp_path / "large", ["--isolated"], ["tests"])
    assert proc.stderr == "", proc.stderr
    assert Counter(f.code for f in found) == synthetic.expected_findings(40)


def test_single_file_is_a_test_module_importing_the_project(tmp_path):
    synthetic.generate(tmp_path, 5)
    files = corpora.python_files(tmp_path, "tests")
    modules = sorted((len((tmp_path / f).read_text(encoding="utf-8")), f) for f in files
                     if "/test_mod_" in f)
    assert corpora.single_file(tmp_path, files, "synthproj") == modules[2][1]  # the median
    assert corpora.single_file(tmp_path, files, "elsewhere") is None


def test_pinned_corpora_are_known():
    assert set(corpora.DEFAULT_CORPORA) <= set(corpora.CORPORA)
    for corpus in corpora.CORPORA.values():
        assert corpus.version.count(".") >= 1 and corpus.tests and corpus.package


def _rows():
    rows = [
        report.summarise("demo", "tests", 10, 500, "ast", 2, [0.1, 0.2, 0.3], [20000], 0,
                         [0.5]),
        report.summarise("demo", "tests", 10, 500, "plain", 2, [1.0, 2.0, 3.0], [30000], 4,
                         [4.5]),
        report.summarise("demo", "tests", 10, 500, "plugin", 2, [3.0, 3.0, 9.0], [40960], 6,
                         [6.5, 6.0, 7.0], [1.2, 1.4, 1.3]),
        report.summarise("demo", "tests", 10, 500, "plugin-warm", 2, [2.4], [40000], 6),
        report.summarise("demo", "tests", 10, 500, "at", 2, [2.5, 2.0, 2.7], [40000], 2),
        report.summarise("demo", "tests", 10, 500, "standalone", 2, [0.9, 0.8], [30000], 2),
        report.summarise("demo", "tests", 10, 500, "floor", 2, [0.3, 0.4, 0.5], [20000], 2),
        report.summarise("demo", "tests/test_a.py", 1, 50, "single-plain", 1, [0.2], [1], 1),
        report.summarise("demo", "tests/test_a.py", 1, 50, "single-plugin", 1, [0.7], [1], 1),
        report.summarise("demo", "tests/test_a.py", 1, 50, "single-standalone", 1, [0.4], [1],
                         1),
        report.summarise("synthetic-10", "tests", 11, 700, "at", 2, [1.1], [50000], 3),
        report.summarise("synthetic-20", "tests", 21, 1400, "at", 2, [2.1], [51000], 6),
        report.summarise("project-1000", "tests", 100, 9000, "plain", 2, [1.0], [20000], 3),
        report.summarise("project-1000", "tests", 100, 9000, "plugin", 2, [1.5], [70000], 5,
                         [3.0], [0.40]),
        report.summarise("project-20000", "tests", 100, 9000, "plain", 2, [1.0], [20000], 3),
        report.summarise("project-20000", "tests", 100, 9000, "plugin", 2, [1.6], [71000], 5,
                         [3.1], [0.46]),
    ]
    return report.add_ratios(rows)


def test_summaries_and_ratios():
    by = {(r["corpus"], r["variant"]): r for r in _rows()}
    plugin = by[("demo", "plugin")]
    assert (plugin["median_s"], plugin["min_s"], plugin["max_s"], plugin["runs"]) == (3, 3, 9, 3)
    assert plugin["ratio_vs_plain"] == 1.5 and plugin["peak_rss_mb"] == 40.0
    assert plugin["ms_per_file"] == 300.0 and plugin["cpu_s"] == 6.5
    assert by[("demo", "plugin-warm")]["ratio_vs_plain"] == 1.2
    assert by[("demo", "plugin-warm")]["cpu_s"] == ""
    assert by[("demo", "plain")]["ratio_vs_plain"] == 1.0
    assert by[("demo", "single-plugin")]["ratio_vs_plain"] == 3.5
    assert by[("demo", "standalone")]["ratio_vs_plain"] == 0.42  # 0.85 / 2.0
    assert by[("demo", "single-standalone")]["ratio_vs_plain"] == 2.0
    assert by[("demo", "floor")]["ratio_vs_plain"] == 0.2
    assert by[("synthetic-10", "at")]["ratio_vs_plain"] == ""  # no plain run to compare


def test_csv_has_one_row_per_corpus_and_variant(tmp_path):
    path = tmp_path / "latest.csv"
    report.write_csv(_rows(), path)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == report.CSV_COLUMNS
    assert [(r["corpus"], r["variant"]) for r in rows][:5] == [
        ("demo", "ast"), ("demo", "plain"), ("demo", "plugin"), ("demo", "plugin-warm"),
        ("demo", "at")]
    assert rows[2]["median_s"] == "3.0" and rows[2]["ratio_vs_plain"] == "1.5"


def test_markdown_tables():
    rows = _rows()
    table = report.corpus_table(rows)
    assert table.splitlines()[2] == (
        "| demo | 10 | 500 | 0.20 | 2.00 | 3.00 | 2.40 | 2.50 | 0.85 | 1.50 | 1.20 | 0.42 | 0.33 "
        "| 0.50 | 29 | 40 |")
    # the plugin's logged CPU (median 1.3) and the whole run's difference (6.5 - 4.5), over
    # the default checks' (4.5 - 0.5)
    assert by_variant(rows, "plugin")["plugin_cpu_s"] == 1.3
    assert by_variant(rows, "plugin-warm")["plugin_cpu_s"] == ""
    projects = report.project_table(rows).splitlines()
    assert projects[2] == "| 1000 | 100 | 10.0 | 15.0 | - | 4.0 | 1.50 | - | 68 | 5 |"
    assert projects[3].startswith("| 20000 | 100 | 10.0 | 16.0 | - | 4.6 |")
    assert run.project_growth(rows) == 1.2  # (1.6 - 1.0) / (1.5 - 1.0)
    assert run.project_growth(rows, logged=True) == 1.15  # 0.46 / 0.40, per file
    assert report.standalone_table(rows).splitlines()[2] == (
        "| demo | 2.00 | 1.00 | 0.40 | 0.85 | 0.45 | 0.60 | 0.42 |")
    single = report.single_file_table(rows)
    assert "| demo | `tests/test_a.py` | 50 | 0.20 | 0.70 | +0.50 | 0.40 |" in single
    synth = report.synthetic_table(rows).splitlines()
    assert synth[2].startswith("| 11 | 700 | - | - | 100.0 | 1.1 | 49 | 3 |")
    assert synth[3].startswith("| 21 | 1400 |")
    assert run.growth(rows) == 1.0
    profiles = {"demo": [("tests/test_a.py", 0.5, 1), ("tests/test_b.py", 2.5, 0)]}
    assert "| demo | 2 | 3.0 | 1.500 | 1 | `tests/test_b.py` 2.50 |" in report.slowest_table(
        profiles)
    codes = report.codes_table({"demo": Counter({"AT200": 2, "AT100": 1}), "x": Counter()})
    assert codes.splitlines()[0] == "| corpus | AT100 | AT200 | total |"
    assert codes.splitlines()[3] == "| x | 0 | 0 | 0 |"


def by_variant(rows: list[dict], variant: str) -> dict:
    return next(r for r in rows if (r["corpus"], r["variant"]) == ("demo", variant))


def test_plugin_logged_cpu_is_read_from_flake8_verbose_output():
    err = ("flake8.async_tests   ForkPoolWorker-1   130 INFO     flake8-async-tests: checked "
           "tests/test_a.py in 0.007 s\n"
           "flake8.checker       MainProcess        150 INFO     Finished processing\n"
           "flake8.async_tests   ForkPoolWorker-2   131 INFO     flake8-async-tests: checked "
           "tests/test b.py in 1.250 s\n")
    assert [float(t) for t in run.CHECKED.findall(err)] == [0.007, 1.25]


def test_count_codes_reads_flake8_output():
    output = ("tests/test_a.py:1:1: AT100 async test 'x' has no marker: a: b\n"
              "tests/test_a.py:3:80: E501 line too long (99 > 79 characters)\n"
              "tests/test_b.py:12:5: AT100 again\n")
    assert report.count_codes(output) == Counter({"AT100": 2, "E501": 1})


def test_quick_arguments():
    args = run.parse_args(["--quick"])
    assert (args.runs, args.corpus_names, args.sizes) == (1, ["pytest-asyncio"], [200, 400])
    assert args.project_sizes == []
    assert run.parse_args([]).project_sizes == [1000, 20000]
    assert args.output.endswith("quick")
    args = run.parse_args(["--corpora", "", "--synthetic", "1000,5000", "-j", "1"])
    assert (args.corpus_names, args.sizes, args.jobs, args.runs) == ([], [1000, 5000], 1, 3)


def test_readme_results_block_is_replaced():
    start, end = run.README_START, run.README_END
    readme = f"# x\n\n## Performance\n\n{start}\nold\n{end}\n\n## Next\n"
    new = run.replace_results(readme, "| a |\n")
    assert new == f"# x\n\n## Performance\n\n{start}\n| a |\n{end}\n\n## Next\n"
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert text.index(start) < text.index(end)


def test_readme_command_parses():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    command = text.split("<!-- benchmark-command -->\n```console\n", 1)[1].split("\n", 1)[0]
    assert command.startswith("python benchmarks/run.py")
    args = run.parse_args(command.split()[2:])
    assert args.update_readme and args.output.endswith("latest")


def test_the_floor_runs_flake8_with_no_checks(tmp_path):
    """benchmarks/flake8_floor.py: flake8's application with no checker (so no finding
    of any plugin, this one's included), which still reads and parses every file."""
    import subprocess

    (tmp_path / "test_a.py").write_text("import os\nasync def test_x():  \n    pass\n",
                                        encoding="utf-8")
    (tmp_path / "test_b.py").write_text("def test_y(:\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "flake8_floor.py"),
                           "--isolated", "-j", "2", "."], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    [line] = proc.stdout.splitlines()  # (the column is the parser's, which versions move)
    assert line.startswith("./test_b.py:1:") and " E999 SyntaxError: " in line
    assert proc.returncode == 1 and not proc.stderr
