"""Summaries, the CSV and the markdown tables of a benchmark run (no I/O besides writing)."""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

CSV_COLUMNS = (
    "corpus", "path", "files", "lines", "variant", "jobs", "runs", "median_s", "min_s",
    "max_s", "ratio_vs_plain", "ms_per_file", "peak_rss_mb", "findings", "cpu_s",
    "plugin_cpu_s",
)
VARIANT_TITLES = {
    "ast": "ast.parse",
    "plain": "flake8",
    "plugin": "flake8 + plugin (cold cache)",
    "plugin-logged": "flake8 -v + plugin (cold cache, for its logged CPU)",
    "plugin-warm": "flake8 + plugin (warm cache)",
    "at": "--select AT",
    "standalone": "flake8-async-tests (cold cache)",
    "floor": "flake8 with no checks (the standalone command's floor)",
    "single-plain": "one file: flake8",
    "single-plugin": "one file: flake8 + plugin",
    "single-standalone": "one file: flake8-async-tests",
}
# The baseline each variant's ratio is taken against.
BASELINE = {"ast": "plain", "plugin": "plain", "plugin-logged": "plain", "plugin-warm": "plain",
            "at": "plain", "standalone": "plain", "floor": "plain", "single-plugin": "single-plain",
            "single-standalone": "single-plain"}
FINDING = re.compile(r"^.+?:\d+:\d+: ([A-Z]+[0-9]+) ", re.M)


def count_codes(output: str) -> Counter[str]:
    """Findings per code in flake8's default output format."""
    return Counter(FINDING.findall(output))


def summarise(corpus: str, path: str, files: int, lines: int, variant: str, jobs: int,
              times: Sequence[float], rss_kb: Iterable[int], findings: int,
              cpu: Sequence[float] = (), plugin_cpu: Sequence[float] = ()) -> dict:
    """`cpu`: user + system seconds of each run (the process and its -j workers);
    `plugin_cpu`: the plugin's own, as it logs it for each file, summed, each run."""
    median = statistics.median(times)
    return {
        "corpus": corpus, "path": path, "files": files, "lines": lines, "variant": variant,
        "jobs": jobs, "runs": len(times), "median_s": round(median, 3),
        "min_s": round(min(times), 3), "max_s": round(max(times), 3), "ratio_vs_plain": "",
        "ms_per_file": round(1000 * median / files, 2) if files else "",
        "peak_rss_mb": round(max(rss_kb) / 1024, 1), "findings": findings,
        "cpu_s": round(statistics.median(cpu), 3) if cpu else "",
        "plugin_cpu_s": round(statistics.median(plugin_cpu), 3) if plugin_cpu else "",
    }


def add_ratios(rows: list[dict]) -> list[dict]:
    """Fill ratio_vs_plain: each variant's median over its baseline's, per corpus."""
    medians = {(r["corpus"], r["variant"]): r["median_s"] for r in rows}
    for row in rows:
        base = medians.get((row["corpus"], BASELINE.get(row["variant"], "")))
        if base:
            row["ratio_vs_plain"] = round(row["median_s"] / base, 2)
        elif row["variant"] in ("plain", "single-plain"):
            row["ratio_vs_plain"] = 1.0
    return rows


def write_csv(rows: Iterable[dict], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in CSV_COLUMNS})


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(rows: dict, corpus: str, variant: str, key: str, fmt: str = "{}") -> str:
    row = rows.get((corpus, variant))
    if row is None or row.get(key) in ("", None):
        return "-"
    return fmt.format(row[key])


def corpus_table(rows: list[dict]) -> str:
    """One line per corpus: medians of each variant, the ratios and the peak RSS."""
    by = {(r["corpus"], r["variant"]): r for r in rows}
    corpora = list(dict.fromkeys(r["corpus"] for r in rows if r["variant"] == "plugin"))
    body = []
    for corpus in corpora:
        first = by[(corpus, "plugin")]
        body.append((
            corpus, first["files"], first["lines"],
            _cell(by, corpus, "ast", "median_s", "{:.2f}"),
            _cell(by, corpus, "plain", "median_s", "{:.2f}"),
            _cell(by, corpus, "plugin", "median_s", "{:.2f}"),
            _cell(by, corpus, "plugin-warm", "median_s", "{:.2f}"),
            _cell(by, corpus, "at", "median_s", "{:.2f}"),
            _cell(by, corpus, "standalone", "median_s", "{:.2f}"),
            _cell(by, corpus, "plugin", "ratio_vs_plain", "{:.2f}"),
            _cell(by, corpus, "plugin-warm", "ratio_vs_plain", "{:.2f}"),
            _cell(by, corpus, "standalone", "ratio_vs_plain", "{:.2f}"),
            logged_share(by, corpus),
            cpu_share(by, corpus),
            _cell(by, corpus, "plain", "peak_rss_mb", "{:.0f}"),
            _cell(by, corpus, "plugin", "peak_rss_mb", "{:.0f}"),
        ))
    headers = ("corpus", "files", "lines", "ast.parse s", "flake8 s", "+ plugin cold s",
               "+ plugin warm s", "--select AT s", "flake8-async-tests cold s", "cold ratio",
               "warm ratio", "flake8-async-tests / flake8",
               "plugin CPU / default checks' CPU", "whole-run CPU share",
               "RSS without MB", "RSS with MB")
    return markdown_table(headers, body)


def standalone_table(rows: list[dict]) -> str:
    """The standalone command against half a plain run, and its floor: flake8's application
    with no checks (start, options, files, parsing, workers); what half a plain run leaves
    the plugin once that is paid."""
    by = {(r["corpus"], r["variant"]): r for r in rows}
    body = []
    for corpus in dict.fromkeys(r["corpus"] for r in rows if r["variant"] == "floor"):
        plain, floor, alone = (by.get((corpus, v)) for v in ("plain", "floor", "standalone"))
        if not (plain and floor and alone):
            continue
        half = plain["median_s"] / 2
        body.append((corpus, f"{plain['median_s']:.2f}", f"{half:.2f}",
                     f"{floor['median_s']:.2f}", f"{alone['median_s']:.2f}",
                     f"{alone['median_s'] - floor['median_s']:.2f}",
                     f"{half - floor['median_s']:.2f}", f"{alone['ratio_vs_plain']:.2f}"))
    headers = ("corpus", "flake8 s", "half of it s", "flake8 with no checks s",
               "flake8-async-tests cold s", "the plugin's part s",
               "half leaves the plugin s", "flake8-async-tests / flake8")
    return markdown_table(headers, body)


def _checks_cpu(by: dict, corpus: str) -> float | None:
    """The default checks' CPU time: the run without the plugin minus reading and parsing
    the files."""
    plain, floor = by.get((corpus, "plain")), by.get((corpus, "ast"))
    if not (plain and floor) or "" in (plain["cpu_s"], floor["cpu_s"]):
        return None
    return plain["cpu_s"] - floor["cpu_s"]


def logged_share(by: dict, corpus: str) -> str:
    """The plugin's own CPU time, cold, as it logs it for each file under `flake8 -v`,
    summed (the time it spends on the files), over the default checks' (see _checks_cpu)."""
    logged, checks = by.get((corpus, "plugin")), _checks_cpu(by, corpus)
    if not logged or logged["plugin_cpu_s"] == "" or not checks or checks <= 0:
        return "-"
    return f"{logged['plugin_cpu_s'] / checks:.2f}"


def cpu_share(by: dict, corpus: str) -> str:
    """The plugin's CPU time (with-plugin run, cold, minus the run without it) over the
    default checks' (the run without the plugin minus reading and parsing the files)."""
    plain, plugin, floor = (by.get((corpus, v)) for v in ("plain", "plugin", "ast"))
    if not (plain and plugin and floor):
        return "-"
    if "" in (plain["cpu_s"], plugin["cpu_s"], floor["cpu_s"]):
        return "-"
    checks = plain["cpu_s"] - floor["cpu_s"]
    return f"{(plugin['cpu_s'] - plain['cpu_s']) / checks:.2f}" if checks > 0 else "-"


def project_table(rows: list[dict]) -> str:
    """Generated projects of growing size around the same test modules: time per test file."""
    by = {(r["corpus"], r["variant"]): r for r in rows}
    names = sorted({r["corpus"] for r in rows if r["corpus"].startswith("project-")},
                   key=lambda name: int(name.rpartition("-")[2]))
    body = []
    for corpus in names:
        first = by[(corpus, "plain")]
        body.append((
            corpus.rpartition("-")[2], first["files"],
            _cell(by, corpus, "plain", "ms_per_file", "{:.1f}"),
            _cell(by, corpus, "plugin", "ms_per_file", "{:.1f}"),
            _cell(by, corpus, "plugin-warm", "ms_per_file", "{:.1f}"),
            _logged_per_file(by.get((corpus, "plugin"))),
            _cell(by, corpus, "plugin", "ratio_vs_plain", "{:.2f}"),
            _cell(by, corpus, "plugin-warm", "ratio_vs_plain", "{:.2f}"),
            _cell(by, corpus, "plugin", "peak_rss_mb", "{:.0f}"),
            _cell(by, corpus, "plugin", "findings"),
        ))
    headers = ("production modules", "test files", "flake8 ms/file", "+ plugin cold ms/file",
               "+ plugin warm ms/file", "plugin CPU ms/file (logged)", "cold ratio",
               "warm ratio", "RSS MB", "findings")
    return markdown_table(headers, body)


def _logged_per_file(row: dict | None) -> str:
    """The plugin's own CPU time per test file, as it logs it for each file, cold."""
    if not row or row["plugin_cpu_s"] == "":
        return "-"
    return f"{row['plugin_cpu_s'] * 1000 / row['files']:.1f}"


def single_file_table(rows: list[dict]) -> str:
    by = {(r["corpus"], r["variant"]): r for r in rows}
    body = []
    for (corpus, variant), row in by.items():
        if variant != "single-plugin" or (corpus, "single-plain") not in by:
            continue
        plain = by[(corpus, "single-plain")]
        alone = by.get((corpus, "single-standalone"))
        body.append((corpus, f"`{row['path']}`", row["lines"], f"{plain['median_s']:.2f}",
                     f"{row['median_s']:.2f}", f"{row['median_s'] - plain['median_s']:+.2f}",
                     f"{alone['median_s']:.2f}" if alone else "-"))
    headers = ("corpus", "file", "lines", "flake8 s", "flake8 + plugin s", "difference s",
               "flake8-async-tests s")
    return markdown_table(headers, body)


def synthetic_table(rows: list[dict]) -> str:
    by = {(r["corpus"], r["variant"]): r for r in rows}
    names = sorted({r["corpus"] for r in rows if r["corpus"].startswith("synthetic-")},
                   key=lambda name: int(name.rpartition("-")[2]))
    body = []
    for corpus in names:
        first = next(r for r in rows if r["corpus"] == corpus)
        body.append((
            first["files"], first["lines"],
            _cell(by, corpus, "ast", "ms_per_file", "{:.1f}"),
            _cell(by, corpus, "plain", "ms_per_file", "{:.1f}"),
            _cell(by, corpus, "at", "ms_per_file", "{:.1f}"),
            _cell(by, corpus, "at", "median_s", "{:.1f}"),
            _cell(by, corpus, "at", "peak_rss_mb", "{:.0f}"),
            _cell(by, corpus, "at", "findings"),
        ))
    headers = ("files", "lines", "ast.parse ms/file", "flake8 ms/file",
               "--select AT ms/file", "--select AT s", "RSS MB", "findings")
    return markdown_table(headers, body)


def slowest_table(profiles: dict[str, list[tuple[str, float, int]]], top: int = 1) -> str:
    """Per corpus: the plugin's total, median and slowest per-file times (one process)."""
    body = []
    for corpus, files in profiles.items():
        if not files:
            continue
        times = [t for _, t, _ in files]
        ranked = sorted(files, key=lambda f: f[1], reverse=True)[:top]
        slowest = ", ".join(f"`{name}` {t:.2f}" for name, t, _ in ranked)
        body.append((corpus, len(files), f"{sum(times):.1f}", f"{statistics.median(times):.3f}",
                     sum(t > 2.0 for t in times), slowest))
    headers = ("corpus", "files", "plugin total s", "median s/file", "files > 2 s",
               "slowest file s")
    return markdown_table(headers, body)


def codes_table(codes: dict[str, Counter[str]]) -> str:
    all_codes = sorted({c for counter in codes.values() for c in counter})
    body = [(corpus, *(counter.get(c, 0) for c in all_codes), sum(counter.values()))
            for corpus, counter in codes.items()]
    return markdown_table(("corpus", *all_codes, "total"), body)
