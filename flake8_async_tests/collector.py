"""Python's cyclic garbage collector while flake8 runs this plugin.

astroid's trees and the index are millions of objects that live for the whole run, and
every collection walks those made since the last one: with CPython's defaults that is
most of them again and again (on redis's suite a quarter of the run's CPU time went to
collections, against 5% without this plugin). So:

- while a run is alive, the collector runs less often (GC_THRESHOLDS, mypy's), and the
  thresholds it found come back when the run ends (a caller such as an editor may run
  flake8 in its own long-lived process);
- most of what a file's analysis makes is freed by reference counting when the file is
  done (FileContext.close and building._discard break the cycles that tied the file's
  context, models and `ast` tree together; what stays in cycles is little), so where this
  plugin is the only checker (the `flake8-async-tests` command), a worker process that
  flake8 forked for the run, which lives only as long as the run, collects no cycles at
  all from its first file on (QUIET_THRESHOLDS): the collector would find little and walk
  everything.
  Should such a worker's memory still pass MEMORY_VALVE, it collects once and goes back to
  GC_THRESHOLDS. Beside other checkers it keeps them: pyflakes leaves each file's tree in
  cycles (on django's suite a quiet worker grew from 146 to 391 MB).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import platform
import sys
import weakref

try:
    import resource
except ImportError:  # (Windows: no peak memory to read, so no worker goes quiet)
    resource = None  # type: ignore[assignment]

GC_THRESHOLDS = (200_000, 30, 30)
QUIET_THRESHOLDS = (0, 30, 30)  # a first threshold of 0: no automatic collection
MEMORY_VALVE = 768 * 2**20  # peak resident memory (bytes) of a quiet worker

_runs: set[int] = set()  # flake8 runs alive in this process (ids of their options)
_before: list[tuple[int, ...]] = []  # the thresholds they replaced
_quiet: bool | None = None  # this process went quiet (True), then the valve opened (False)
_alone = False  # the run begun last has no other checker (set before its workers)
_owner: int | None = None  # the process that began the last run (its workers are others)


def collect_less_while(run: object) -> None:
    """GC_THRESHOLDS from now until `run` (a flake8 run's options) and any other run alive
    are freed, then the thresholds the first of them found (for a caller that runs flake8
    in its own process)."""
    global _alone, _owner
    _alone = False  # (a new run: only_checker says again whether it is alone)
    _owner = os.getpid()
    if platform.python_implementation() != "CPython":
        return
    try:
        weakref.finalize(run, _run_ended, id(run))
    except TypeError:  # its end cannot be seen: the collector is left alone
        return
    if not _runs:
        _before[:] = [gc.get_threshold()]
        gc.set_threshold(*GC_THRESHOLDS)
    _runs.add(id(run))


def _run_ended(key: int) -> None:
    global _quiet
    _runs.discard(key)
    if not _runs and _before:
        _quiet = None
        gc.set_threshold(*_before.pop())


def only_checker() -> None:
    """The run begun last has no checker but this plugin's (the standalone command)."""
    global _alone
    _alone = True


def quiet_worker() -> None:
    """Called before each file: in a worker process of a parallel run (made by
    multiprocessing from the process that began the run, which is alive) where no other
    checker runs, no automatic collection from now on, where the process's peak memory
    can be read (for the valve). A process that began a run itself is no such worker,
    even if multiprocessing made it (it may live on after the run)."""
    global _quiet
    if (_quiet is not None or not _alone or not _runs or resource is None
            or multiprocessing.parent_process() is None or _owner == os.getpid()):
        return
    _quiet = True
    gc.set_threshold(*QUIET_THRESHOLDS)


def memory_valve() -> None:
    """Called after each file: a quiet worker whose peak memory passed MEMORY_VALVE
    collects once, then runs with GC_THRESHOLDS."""
    global _quiet
    if _quiet and peak_memory() > MEMORY_VALVE:
        _quiet = False
        gc.collect()
        gc.set_threshold(*GC_THRESHOLDS)


def peak_memory() -> int:
    """The process's peak resident memory in bytes (where `resource` exists)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # (kilobytes elsewhere)
