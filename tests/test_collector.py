"""The cyclic collector during a run (collector.py): what a file's analysis makes is freed by
reference counting, and a worker of a parallel run collects no cycles until its memory
passes the valve."""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import platform

import pytest

from flake8_async_tests import collector
from flake8_async_tests.context import FileContext
from flake8_async_tests.inference import api, building
from harness import lint, places

APP = '''\
class Client:
    async def fetch(self):
        return 1


def make(kinds):
    return kinds[0]()
'''
TEST = '''\
import app


def test_fetch():
    client = app.make([app.Client])  # (astroid follows it; the index does not)
    client.fetch()
'''

needs_cpython = pytest.mark.skipif(platform.python_implementation() != "CPython",
                                   reason="thresholds are CPython's")


def _alive(kind: type) -> list[object]:
    return [o for o in gc.get_objects() if isinstance(o, kind)]


def test_a_file_analysed_leaves_nothing_for_the_cyclic_collector(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "test_a.py").write_text(TEST, encoding="utf-8")
    gc.collect()
    built = []
    original = api.build_module
    try:
        gc.disable()
        # (recorded, to know the file's astroid tree was made and then let go)
        api.build_module = lambda *a, **k: built.append(original(*a, **k)) or built[-1]
        found = lint(tmp_path, ["--async-tests-no-cache"])
        made = len(built)
        built.clear()
        contexts, rebuilders = _alive(FileContext), _alive(building._Rebuilder)
    finally:
        api.build_module = original
        gc.enable()
    assert places(found.found) == {("test_a.py", 6, "AT200")}
    assert made == 1  # astroid built the test module for the question about client.fetch
    assert contexts == [] and rebuilders == []


def _in_worker(queue, valve: int, alone: bool = True, runs: str = "inherited") -> None:
    """In a child process: the thresholds after quiet_worker, then after memory_valve.
    `runs`: the parent's runs as forked ("inherited"), none ("none"), or a run this
    process begins itself ("own", as a task of a process pool that calls flake8 may)."""
    if runs == "none":
        collector._runs.clear()
    own = argparse.Namespace()
    if runs == "own":
        collector.collect_less_while(own)
    collector._alone = alone  # (the standalone command's run, or flake8's)
    collector.quiet_worker()
    quiet = gc.get_threshold()
    collector.MEMORY_VALVE = valve
    collector.memory_valve()
    queue.put((quiet, gc.get_threshold()))


def _child(*args) -> tuple:
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    queue = context.Queue()
    worker = context.Process(target=_in_worker, args=(queue, *args))
    worker.start()
    found = queue.get(timeout=60)
    worker.join(timeout=60)
    return found


forked = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                            reason="workers are forked where flake8 runs them in parallel")


@needs_cpython
@forked
@pytest.mark.parametrize(("valve", "after"), [
    (2**62, collector.QUIET_THRESHOLDS),  # memory far below the valve: quiet to the end
    (0, collector.GC_THRESHOLDS),  # past the valve: one collection, then the run's
])
def test_a_worker_of_a_parallel_run_collects_no_cycles_until_the_valve(valve, after):
    gc.collect()
    saved = gc.get_threshold()
    run = argparse.Namespace()
    try:
        collector.collect_less_while(run)
        collector.quiet_worker()  # this process is no worker: the run's thresholds stay
        assert gc.get_threshold() == collector.GC_THRESHOLDS
        quiet, later = _child(valve)
        assert quiet == collector.QUIET_THRESHOLDS
        assert later == after
        assert gc.get_threshold() == collector.GC_THRESHOLDS
    finally:
        del run
        gc.collect()
        gc.set_threshold(*saved)


@needs_cpython
@forked
def test_a_child_with_no_run_alive_keeps_the_collector():
    gc.collect()
    saved = gc.get_threshold()
    quiet, later = _child(2**62, True, "none")
    assert quiet == later == saved


@needs_cpython
@forked
def test_a_child_that_begins_a_run_itself_is_no_worker():
    """A task of a process pool that calls flake8 in its own process: that process may
    live on after the run, so it keeps the run's thresholds (and gets its own back)."""
    gc.collect()
    quiet, later = _child(2**62, True, "own")
    assert quiet == later == collector.GC_THRESHOLDS


@needs_cpython
@forked
def test_a_worker_beside_other_checkers_keeps_the_run_thresholds():
    """flake8 with its default checkers: pyflakes leaves each file's tree in cycles."""
    gc.collect()
    saved = gc.get_threshold()
    run = argparse.Namespace()
    try:
        collector.collect_less_while(run)
        quiet, later = _child(2**62, False)
        assert quiet == later == collector.GC_THRESHOLDS
    finally:
        del run
        gc.collect()
        gc.set_threshold(*saved)
