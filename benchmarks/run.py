"""Benchmark flake8 with and without flake8-async-tests on real and generated test suites.

    python benchmarks/run.py                 # everything, 3 runs (see benchmarks/README.md)
    python benchmarks/run.py --quick         # a small smoke run

Venvs, sdists and generated corpora are cached under benchmarks/.cache/; results go to
benchmarks/results/latest.{csv,md} (quick runs: quick.{csv,md}).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpora  # noqa: E402
import report  # noqa: E402
import synthetic  # noqa: E402

REPO = HERE.parent
CACHE = HERE / ".cache"
# Installed in both venvs, so the plugin can read the test frameworks' sources.
CONTEXT_PACKAGES = ("pytest==9.2.0", "pytest-asyncio==1.5.0")
FLAKE8_PARTS = ("flake8", "pyflakes", "pycodestyle", "mccabe")
# "plugin" and "plugin-logged" start from an empty cache; "plugin-warm", "at" and the
# one-file runs reuse it. "plugin-logged" is "plugin" under -v, for the CPU time the plugin
# logs for each file: the logging costs (0.14 ms a file on a generated project), so the
# cold run timed against plain flake8 runs without it, as users run flake8.
CORPUS_VARIANTS = ("ast", "plain", "plugin", "plugin-logged", "plugin-warm", "at",
                   "standalone", "floor")
SYNTHETIC_VARIANTS = ("ast", "plain", "at")
PROJECT_VARIANTS = ("ast", "plain", "plugin", "plugin-logged", "plugin-warm")
TARGETS = {"ratio": 1.5, "warm_ratio": 1.25, "cpu_share": 0.5, "rss_mb": 1024,
           "slowest_s": 2.0, "growth": 1.25, "single_s": 0.3, "standalone": 0.5}
# Run with an empty index cache, each repetition.
COLD = frozenset({"plugin", "plugin-logged", "standalone"})
# What the plugin logs under `flake8 -v` for each file: the CPU time of its own work on it.
CHECKED = re.compile(r"flake8-async-tests: checked .+? in ([0-9.]+) s$", re.M)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def bin_path(venv: Path, name: str) -> str:
    return str(venv / ("Scripts" if os.name == "nt" else "bin") / name)


def _pip(venv: Path, *args: str) -> None:
    subprocess.run([bin_path(venv, "python"), "-m", "pip", "install", "--quiet", *args],
                   check=True)


def _make_venv(venv: Path, stamp: str, rebuild: bool, install) -> None:
    marker = venv / "benchmark-stamp"
    if not rebuild and marker.is_file() and marker.read_text() == stamp:
        return
    log(f"creating {venv.name}")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install(venv)
    marker.write_text(stamp)


def installed_versions(venv: Path, names: tuple[str, ...]) -> dict[str, str]:
    code = ("import importlib.metadata as m, json, sys; "
            "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))")
    out = subprocess.run([bin_path(venv, "python"), "-c", code, *names], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def ensure_venvs(rebuild: bool) -> tuple[Path, Path]:
    """venv-plugin: this checkout (editable) with its flake8; venv-plain: the same flake8
    (and pyflakes, pycodestyle, mccabe) without the plugin. Both get CONTEXT_PACKAGES."""
    with_plugin, without = CACHE / "venv-plugin", CACHE / "venv-plain"
    pyproject = (REPO / "pyproject.toml").read_bytes()
    stamp = hashlib.sha256(pyproject + repr(CONTEXT_PACKAGES).encode()).hexdigest()
    _make_venv(with_plugin, stamp, rebuild,
               lambda v: _pip(v, "-e", str(REPO), *CONTEXT_PACKAGES))
    pins = [f"{n}=={v}" for n, v in installed_versions(with_plugin, FLAKE8_PARTS).items()]
    _make_venv(without, stamp + repr(pins), rebuild,
               lambda v: _pip(v, *pins, *CONTEXT_PACKAGES))
    for venv, wanted in ((with_plugin, True), (without, False)):
        shown = subprocess.run([bin_path(venv, "flake8"), "--version"], check=True,
                               capture_output=True, text=True).stdout
        if ("flake8-async-tests" in shown) != wanted:
            raise SystemExit(f"{venv.name}: unexpected plugins: {shown.strip()}")
    # The editable install imports the checkout itself: its bytecode is written here, as pip
    # writes an installed package's, so that no run pays for compiling it (with
    # PYTHONDONTWRITEBYTECODE set, every run would).
    subprocess.run([bin_path(with_plugin, "python"), "-m", "compileall", "-q",
                    str(REPO / "flake8_async_tests")], check=True)
    return with_plugin, without


def run_timed(cmd: list[str], cwd: Path, errors: list[str] | None = None,
              ) -> tuple[float, int, str, float]:
    """Wall time, ru_maxrss in KiB (the largest process of the tree: wait4 reports the
    child's own peak or that of its largest reaped descendant), stdout, and user + system
    CPU seconds (the child's and its reaped descendants', so -j workers count). With
    `errors`, stderr is appended to it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode not in (0, 1) or "Traceback" in stderr:
        raise SystemExit(f"{' '.join(cmd)} (in {cwd}) exited {proc.returncode}:\n{stderr}")
    if errors is not None:
        errors.append(stderr)
    return elapsed, usage.ru_maxrss, stdout, usage.ru_utime + usage.ru_stime


class Bench:
    def __init__(self, args: argparse.Namespace, with_plugin: Path, without: Path) -> None:
        self.args = args
        self.plugin_venv = with_plugin
        self.plain_venv = without
        self.rows: list[dict] = []
        self.codes: dict[str, Counter[str]] = {}
        self.profiles: dict[str, list[tuple[str, float, int]]] = {}
        self.profile_rss: dict[str, float] = {}
        # "index" / "results" -> corpus -> (MB per 1,000 entries, entries, what they are)
        self.cache_sizes: dict[str, dict[str, tuple[float, int, str]]] = {}
        # The plugin's cache folders, in a folder made for this run (removed at its end):
        # a folder reused run after run became slow to create files in on a test machine
        # (0.9 ms a file against 0.02 ms beside it), a cost every cold run then paid.
        self.caches = Path(tempfile.mkdtemp(prefix="index-", dir=CACHE))

    def record_cache_size(self, name: str) -> None:
        """The index's size per 1,000 modules, and the kept findings' per 1,000 test files
        (their entries and the logs of reads they rest on), as the bytes the cache
        database's rows hold."""
        for database in self.index_cache(name).glob("cache-*.sqlite3"):
            with closing(sqlite3.connect(database)) as db:
                for kind, found, count, size in (
                        ("index", "modules", "SELECT count(*) FROM modules",
                         "SELECT sum(length(key) + length(entry)) FROM modules"),
                        ("results", "test files", "SELECT count(*) FROM findings",
                         "SELECT (SELECT sum(length(path) + length(entry)) FROM findings)"
                         " + (SELECT coalesce(sum(length(line)), 0) FROM reads)")):
                    entries = db.execute(count).fetchone()[0]
                    if entries:
                        mb = db.execute(size).fetchone()[0] / 1024 ** 2
                        self.cache_sizes.setdefault(kind, {})[name] = (mb * 1000 / entries,
                                                                       entries, found)

    def commands(self, target: str, listing: str, cache: Path) -> dict[str, list[str]]:
        jobs = ["-j", str(self.args.jobs)]
        plain = bin_path(self.plain_venv, "flake8")
        plugin = [bin_path(self.plugin_venv, "flake8"), f"--async-tests-cache-dir={cache}"]
        alone = [bin_path(self.plugin_venv, "flake8-async-tests"),
                 f"--async-tests-cache-dir={cache}"]
        return {
            "ast": [bin_path(self.plain_venv, "python"), str(HERE / "parse_floor.py"), listing],
            "plain": [plain, "--isolated", *jobs, target],
            "plugin": [*plugin, "--isolated", *jobs, target],
            # -v: the plugin logs the CPU time of its work on each file (to stderr)
            "plugin-logged": [*plugin, "--isolated", "-v", *jobs, target],
            "plugin-warm": [*plugin, "--isolated", *jobs, target],
            "at": [*plugin, "--isolated", "--select", "AT", *jobs, target],
            "standalone": [*alone, "--isolated", *jobs, target],
            # flake8's application as the standalone command runs it, with no checker
            "floor": [bin_path(self.plain_venv, "python"), str(HERE / "flake8_floor.py"),
                      "--isolated", *jobs, target],
        }

    def index_cache(self, name: str) -> Path:
        return self.caches / name

    def measure(self, name: str, root: Path, target: str, files: list[str],
                variants: tuple[str, ...], runs: int) -> None:
        """Time the variants, alternating within each repetition (ABCD ABCD ...)."""
        lines = corpora.count_lines(root, files)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
            listing.write("\n".join(files) + "\n")
        try:
            cache = self.index_cache(name)
            cmds = self.commands(target, listing.name, cache)
            times: dict[str, list[float]] = {v: [] for v in variants}
            rss: dict[str, list[int]] = {v: [] for v in variants}
            cpu: dict[str, list[float]] = {v: [] for v in variants}
            logged: list[float] = []
            outputs: dict[str, str] = {}
            for rep in range(runs):
                for variant in variants:
                    if variant in COLD:
                        shutil.rmtree(cache, ignore_errors=True)
                    errors: list[str] = []
                    elapsed, peak, outputs[variant], used = run_timed(cmds[variant], root,
                                                                      errors)
                    if variant == "plugin-logged":
                        logged.append(sum(float(t) for t in CHECKED.findall(errors[0])))
                    times[variant].append(elapsed)
                    rss[variant].append(peak)
                    cpu[variant].append(used)
                    log(f"  {name} run {rep + 1}/{runs} {variant}: {elapsed:.2f} s, "
                        f"{peak / 1024:.0f} MB")
        finally:
            os.unlink(listing.name)
        for variant in variants:
            findings = sum(report.count_codes(outputs[variant]).values())
            self.rows.append(report.summarise(
                name, target, len(files), lines, variant, self.args.jobs, times[variant],
                rss[variant], findings, cpu[variant],
                logged if variant == "plugin" else ()))
        if "at" in outputs:
            self.codes[name] = report.count_codes(outputs["at"])

    def profile(self, name: str, root: Path, target: str) -> None:
        """The plugin alone, file by file, in one process, from an empty cache (else it
        would reuse the findings an earlier run kept)."""
        cache = self.index_cache(f"{name}-profile")
        shutil.rmtree(cache, ignore_errors=True)
        cmd = [bin_path(self.plugin_venv, "python"), str(HERE / "plugin_profile.py"),
               f"--async-tests-cache-dir={cache}", target]
        elapsed, peak, out, _ = run_timed(cmd, root)
        files = [tuple(f) for f in json.loads(out)["files"]]
        self.profiles[name] = files
        self.profile_rss[name] = round(peak / 1024, 1)
        log(f"  {name} profile: {elapsed:.1f} s, {peak / 1024:.0f} MB")

    def single(self, name: str, root: Path, path: str, runs: int) -> None:
        """The pre-commit case: flake8 on one changed test file, with and without the
        plugin (its cache warm from the whole-corpus runs). The file gets a new last line
        before each run, so its findings are never reused from the cache; it is put back
        as it was afterwards."""
        cache = f"--async-tests-cache-dir={self.index_cache(name)}"
        cmds = {"single-plain": [bin_path(self.plain_venv, "flake8"), "--isolated", path],
                "single-plugin": [bin_path(self.plugin_venv, "flake8"), "--isolated", cache,
                                  path],
                "single-standalone": [bin_path(self.plugin_venv, "flake8-async-tests"),
                                      "--isolated", cache, path]}
        times: dict[str, list[float]] = {v: [] for v in cmds}
        rss: dict[str, list[int]] = {v: [] for v in cmds}
        found: dict[str, int] = {}
        file = root / path
        original, stat = file.read_bytes(), file.stat()
        try:
            for rep in range(runs):
                for variant, cmd in cmds.items():
                    file.write_bytes(original + f"\n# changed for run {rep} {variant}\n".encode())
                    elapsed, peak, out, _ = run_timed(cmd, root)
                    times[variant].append(elapsed)
                    rss[variant].append(peak)
                    found[variant] = sum(report.count_codes(out).values())
        finally:
            file.write_bytes(original)
            os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        lines = corpora.count_lines(root, [path])
        for variant in cmds:
            self.rows.append(report.summarise(name, path, 1, lines, variant, 1, times[variant],
                                              rss[variant], found[variant]))
        log(f"  {name} one file {path}: " + ", ".join(
            f"{v} {min(t):.2f} s" for v, t in times.items()))


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle
                        if line.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 ** 2:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores" + (f", {memory}" if memory else ""),
        "os": f"{platform.system()} {platform.release()}",
        "load": ", ".join(f"{x:.1f}" for x in load),
        "busy": "yes" if load and load[0] > (os.cpu_count() or 1) else "",
    }


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, check=True,
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "flake8_async_tests"],
                               cwd=REPO, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + ("+changes" if dirty else "")


def growth(rows: list[dict]) -> float | None:
    """ms/file of --select AT at the largest synthetic size over the smallest."""
    sizes = sorted((r["files"], r["ms_per_file"]) for r in rows
                   if r["corpus"].startswith("synthetic-") and r["variant"] == "at")
    if len(sizes) < 2 or not sizes[0][1]:
        return None
    return round(sizes[-1][1] / sizes[0][1], 2)


def project_growth(rows: list[dict], variant: str = "plugin",
                   logged: bool = False) -> float | None:
    """The plugin's time per test file in the largest generated project over the smallest:
    with `logged`, its own CPU time as flake8 -v logs it for each file (median of the
    runs, summed); else the whole run's (with-plugin median minus plain median)."""
    by = {(r["corpus"], r["variant"]): r for r in rows}
    costs = []
    for corpus in sorted({c for c, _ in by if c.startswith("project-")},
                         key=lambda name: int(name.rpartition("-")[2])):
        plugin, plain = by.get((corpus, variant)), by.get((corpus, "plain"))
        if logged and plugin and plugin["plugin_cpu_s"] != "":
            costs.append(plugin["plugin_cpu_s"] / plugin["files"])
        elif not logged and plugin and plain:
            costs.append((plugin["median_s"] - plain["median_s"]) / plugin["files"])
    if len(costs) < 2 or costs[0] <= 0:
        return None
    return round(costs[-1] / costs[0], 2)


def _measured(row: dict) -> bool:
    """A real corpus or a generated project (the older generated corpus has no plain run
    of the plugin to compare)."""
    return not row["corpus"].startswith("synthetic-")


def targets(bench: Bench) -> str:
    rows = bench.rows
    lines = []

    def check(text: str, value: object, ok: bool | None) -> None:
        mark = "n/a" if ok is None else ("met" if ok else "NOT met")
        lines.append(f"- {text}: {value} ({mark})")

    for variant, limit, label in (("plugin", TARGETS["ratio"], "cold"),
                                  ("plugin-warm", TARGETS["warm_ratio"], "warm")):
        ratios = [r["ratio_vs_plain"] for r in rows if r["variant"] == variant and _measured(r)]
        worst = max(ratios, default=None)
        check(f"with / without plugin, {label} cache, <= {limit} (worst corpus)", worst,
              None if worst is None else worst <= limit)
    by = {(r["corpus"], r["variant"]): r for r in rows}
    for share, text in ((report.logged_share, "plugin CPU (per file, as flake8 -v logs it, "
                         "summed) / default checks' CPU"),
                        (report.cpu_share, "whole-run CPU with plugin minus without / default "
                         "checks' CPU")):
        shares = [share(by, c) for c, v in by if v == "plugin" and _measured(by[(c, v)])]
        shares = [float(x) for x in shares if x != "-"]
        worst_share = max(shares, default=None)
        check(f"{text}, cold, <= {TARGETS['cpu_share']} (worst corpus)", worst_share,
              None if worst_share is None else worst_share <= TARGETS["cpu_share"])
    real = [r for r in rows if r["variant"] in ("plain", "plugin", "plugin-warm", "at")
            and _measured(r)]
    if real:
        rss = max(real, key=lambda r: r["peak_rss_mb"])
        check(f"peak RSS of one flake8 process <= {TARGETS['rss_mb']} MB (any corpus)",
              f"{rss['peak_rss_mb']:.0f} MB ({rss['corpus']}, {rss['variant']})",
              rss["peak_rss_mb"] <= TARGETS["rss_mb"])
    slowest = max(((t, n, c) for c, files in bench.profiles.items() for n, t, _ in files),
                  default=None)
    if slowest:
        check(f"slowest single file in the plugin <= {TARGETS['slowest_s']} s",
              f"{slowest[0]:.2f} s ({slowest[2]}: `{slowest[1]}`)",
              slowest[0] <= TARGETS["slowest_s"])
    ratio = project_growth(rows, logged=True)
    check("plugin time per test file (as flake8 -v logs it), largest generated project / "
          f"smallest, cold, <= {TARGETS['growth']}", ratio,
          None if ratio is None else ratio <= TARGETS["growth"])
    ratio = project_growth(rows)
    check("the same from whole runs (with plugin minus without, per test file; noisier), "
          f"<= {TARGETS['growth']}", ratio, None if ratio is None else ratio <= TARGETS["growth"])
    ratio = growth(rows)
    check(f"time per file at the largest generated corpus / smallest <= {TARGETS['growth']}",
          ratio, None if ratio is None else ratio <= TARGETS["growth"])
    diffs = [by[(c, "single-plugin")]["median_s"] - by[(c, "single-plain")]["median_s"]
             for c, v in by if v == "single-plugin"]
    worst_diff = max(diffs, default=None)
    check(f"one file, warm cache: plugin adds <= {TARGETS['single_s']} s (worst corpus)",
          None if worst_diff is None else f"{worst_diff:+.2f} s",
          None if worst_diff is None else worst_diff <= TARGETS["single_s"])
    alone = [r["ratio_vs_plain"] for r in rows if r["variant"] == "standalone"
             and r["ratio_vs_plain"] != ""]
    worst = max(alone, default=None)
    check(f"flake8-async-tests, cold cache / flake8 without plugin <= {TARGETS['standalone']} "
          "(worst corpus)", worst, None if worst is None else worst <= TARGETS["standalone"])
    floors = {r["corpus"]: r["ratio_vs_plain"] for r in rows if r["variant"] == "floor"
              and r["ratio_vs_plain"] != ""}
    if floors:
        beyond = [c for c, ratio in floors.items() if ratio > TARGETS["standalone"]]
        lines.append(f"- flake8 with no checks / flake8 without plugin (the standalone "
                     f"command's floor): worst {max(floors.values())}; above "
                     f"{TARGETS['standalone']} (the target out of reach whatever the plugin "
                     f"does): {', '.join(beyond) or 'none'}")
    for kind, what in (("index", "modules indexed"), ("results", "test files kept")):
        sizes = bench.cache_sizes.get(kind)
        if sizes:
            lines.append(f"- cache size per 1,000 {what}: " + ", ".join(
                f"{name} {mb:.1f} MB ({count} {found})"
                for name, (mb, count, found) in sizes.items()))
    return "\n".join(lines) + "\n"


BUSY_NOTE = ("Other processes kept the machine busy (load average above its core count): "
             "absolute times are inflated and noisy; the variants alternate, so the ratios "
             "hold better.\n")


def _runs(count: int) -> str:
    return f"medians of {count} runs" if count > 1 else "one run"


def render(bench: Bench, args: argparse.Namespace, meta: dict[str, str]) -> str:
    real = [r for r in bench.rows if not r["corpus"].startswith(("synthetic-", "project-"))]
    synth = [r for r in bench.rows if r["corpus"].startswith("synthetic-")]
    projects = [r for r in bench.rows if r["corpus"].startswith("project-")]
    parts = [
        f"Date: {meta['date']}. Machine: {meta['cpu']}, {meta['os']} "
        f"(load average at start: {meta['load']}).\n"
        f"Python {meta['python']}, {meta['flake8']}, astroid {meta['astroid']}, "
        f"flake8-async-tests {meta['plugin']} ({meta['revision']}).\n"
        f"Command: `{meta['command']}`; {_runs(args.runs)} "
        f"({_runs(args.synthetic_runs)} for the generated corpus; the generated projects as "
        f"the real suites), flake8 -j {args.jobs}.\n",
    ]
    if meta.get("busy"):
        parts.append(BUSY_NOTE)
    if any(r["variant"] == "plugin" for r in real):
        parts += ["### Real test suites (seconds, peak RSS of the largest process)\n",
                  report.corpus_table(real)]
    if any(r["variant"] == "floor" for r in real):
        parts += ["### The standalone command and its floor (seconds)\n",
                  report.standalone_table(real)]
    if bench.profiles:
        parts += ["### The plugin alone, file by file (one process)\n",
                  report.slowest_table(bench.profiles)]
    if any(r["variant"] == "single-plugin" for r in real):
        parts += ["### One test file (the pre-commit case)\n", report.single_file_table(real)]
    if bench.codes:
        parts += ["### Findings per code (--select AT)\n", report.codes_table(bench.codes)]
    if projects:
        parts += ["### Generated projects: the same test modules, a growing project around "
                  "them\n", report.project_table(projects)]
    if synth:
        parts += ["### Generated corpus\n", report.synthetic_table(synth)]
    parts += ["### Targets\n", targets(bench)]
    return "\n".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions (default: 3)")
    parser.add_argument("--corpora", default=",".join(corpora.DEFAULT_CORPORA),
                        help=f"comma separated, from: {', '.join(corpora.CORPORA)}; "
                        "'' for none (default: %(default)s)")
    parser.add_argument("--synthetic", default="1000,5000,10000",
                        help="generated corpus sizes, '' for none (default: %(default)s)")
    parser.add_argument("--projects", default="1000,20000",
                        help="production modules of the generated projects (each with the "
                        f"same {synthetic.PROJECT_TEST_MODULES} test modules), '' for none "
                        "(default: %(default)s)")
    parser.add_argument("--synthetic-runs", type=int, default=1,
                        help="repetitions for the generated corpus (default: 1)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="flake8 -j (default: 2)")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the per-file pass of the plugin alone")
    parser.add_argument("--rebuild-venvs", action="store_true")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1 run, pytest-asyncio, 200 and 400 generated modules")
    parser.add_argument("--update-readme", action="store_true",
                        help="also put the results into README.md's Performance section")
    parser.add_argument("--output", default=None,
                        help="results file stem (default: benchmarks/results/latest, "
                        "or .../quick with --quick)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.synthetic_runs = 1, 1
        args.corpora, args.synthetic, args.projects = "pytest-asyncio", "200,400", ""
    if args.output is None:
        args.output = str(HERE / "results" / ("quick" if args.quick else "latest"))
    args.corpus_names = [c for c in args.corpora.split(",") if c]
    for name in args.corpus_names:
        if name not in corpora.CORPORA:
            parser.error(f"unknown corpus {name!r}; known: {', '.join(corpora.CORPORA)}")
    args.sizes = [int(n) for n in args.synthetic.split(",") if n]
    args.project_sizes = [int(n) for n in args.projects.split(",") if n]
    return args


README_START = "<!-- benchmark-results:start -->"
README_END = "<!-- benchmark-results:end -->"


def replace_results(readme: str, results: str) -> str:
    """readme with the text between the results markers replaced by results."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise SystemExit(f"README.md has no {README_START} ... {README_END} block")
    return readme[:start + len(README_START)] + "\n" + results.strip() + "\n" + readme[end:]


def _ensure_generated(folder: str, size: int, generate) -> Path:
    """A generated corpus under the cache, rebuilt when the generator changed."""
    root = CACHE / folder / f"{size}"
    stamp = root / "generator-version"
    if not (stamp.is_file() and stamp.read_text() == synthetic.GENERATOR_VERSION):
        shutil.rmtree(root, ignore_errors=True)
        generate(root, size)
        stamp.write_text(synthetic.GENERATOR_VERSION)
    return root


def ensure_synthetic(size: int) -> Path:
    return _ensure_generated("synthetic", size, synthetic.generate)


def ensure_project(size: int) -> Path:
    return _ensure_generated("projects", size, synthetic.generate_project)


def _measure_all(bench: Bench, args: argparse.Namespace, python: str) -> None:
    """Every corpus the arguments name: the real suites, the generated corpus, the
    generated projects."""
    for name in args.corpus_names:
        corpus = corpora.CORPORA[name]
        root = corpora.fetch(corpus, CACHE, python)
        files = corpora.python_files(root, corpus.tests)
        log(f"{name} {corpus.version}: {len(files)} files under {corpus.tests}/")
        bench.measure(name, root, corpus.tests, files, CORPUS_VARIANTS, args.runs)
        bench.record_cache_size(name)
        if not args.no_profile:
            bench.profile(name, root, corpus.tests)
        path = corpora.single_file(root, files, corpus.package)
        if path:
            bench.single(name, root, path, args.runs)
    for size in args.sizes:
        root = ensure_synthetic(size)
        files = corpora.python_files(root, "tests")
        log(f"synthetic-{size}: {len(files)} files (with conftest.py)")
        bench.measure(f"synthetic-{size}", root, "tests", files, SYNTHETIC_VARIANTS,
                      args.synthetic_runs)
    for size in args.project_sizes:
        root = ensure_project(size)
        files = corpora.python_files(root, "tests")
        log(f"project-{size}: {len(files)} test files, {size} production modules")
        bench.measure(f"project-{size}", root, "tests", files, PROJECT_VARIANTS,
                      args.runs)  # (medians: the per-file targets compare two of them)
        bench.record_cache_size(f"project-{size}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    meta = machine()
    meta["date"] = datetime.date.today().isoformat()
    meta["command"] = "python benchmarks/run.py " + " ".join(
        argv if argv is not None else sys.argv[1:])
    CACHE.mkdir(exist_ok=True)
    with_plugin, without = ensure_venvs(args.rebuild_venvs)
    versions = installed_versions(with_plugin, (*FLAKE8_PARTS, "astroid", "flake8-async-tests"))
    meta.update(python=platform.python_version(), astroid=versions["astroid"],
                plugin=versions["flake8-async-tests"], revision=git_revision(),
                flake8=", ".join(f"{n} {versions[n]}" for n in FLAKE8_PARTS))
    bench = Bench(args, with_plugin, without)
    try:
        _measure_all(bench, args, bin_path(with_plugin, "python"))
    finally:
        shutil.rmtree(bench.caches, ignore_errors=True)
    report.add_ratios(bench.rows)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    report.write_csv(bench.rows, out.with_suffix(".csv"))
    text = render(bench, args, meta)
    out.with_suffix(".md").write_text("## Benchmark results\n\n" + text, encoding="utf-8")
    print(text)
    if args.update_readme:
        readme = REPO / "README.md"
        readme.write_text(replace_results(readme.read_text(encoding="utf-8"), text),
                          encoding="utf-8")
    log(f"done in {(time.time() - started) / 60:.1f} min; wrote {out}.csv and {out}.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
