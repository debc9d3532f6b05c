"""Findings kept between runs, in the manner of ruff's cache, beside the index (index/store.py).

One entry per linted file holds its findings, under a key made of the file's path and
text, the plugin's options, the plugin's own code, the Python and astroid it runs on and
the import path. An entry is reused only while everything its process had read by the
time the findings were made is as it was: the entry names that process's log of reads
(reads.py) and how much of it counts. A log is checked once per run, path by path, and
is good up to the first path that changed. Entries and logs are rows of the cache
directory's database (cachedb.py), each save one transaction, so `-j` workers and two runs
at once never read half of one; anything missing, corrupt or foreign is a miss, and the
file is analysed as if there were no cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sys
import time
import uuid
from typing import Any

from . import reads
from .cachedb import Statement
from .index.store import database, version_key

LOG = logging.getLogger("flake8.async_tests")
MAX_LOGS = 32  # past this many logs in a cache, the older half goes (their entries miss)
Found = list[tuple[int, int, str]]

_holding: dict[str, int] = {}  # log name -> how many of its first reads hold (this run)
_now: dict[tuple[str, str, str], bool] = {}  # (kind, path, was) -> still holds (this run)
_own: dict[str, tuple[int, str, int]] = {}  # database -> (pid, this process's log, its reads)
_setups: list[tuple[Any, tuple[str, ...], str]] = []  # (options, sys.path, their text)
_stores: dict[str, Results] = {}


def new_run() -> None:
    _setups.clear()
    _holding.clear()
    _now.clear()
    _own.clear()
    _stores.clear()


def for_directory(directory: str) -> Results:
    if directory not in _stores:
        _stores[directory] = Results(directory)
    return _stores[directory]


def key(path: str, lines: list[str], options: Any) -> str:
    """What an entry must match besides its reads: the file, options, code, interpreter."""
    text = json.dumps([path, hashlib.sha1("".join(lines).encode("utf-8", "surrogatepass")
                                          ).hexdigest(), _setup(options)])
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _setup(options: Any) -> str:
    """The options, the plugin's code (its files as installed: store.version_key, which
    names the database too), the interpreter and the import path, as text (made again
    only when the options object or the import path is another)."""
    path = tuple(sys.path)
    if not (_setups and _setups[0][0] is options and _setups[0][1] == path):
        settings = {k: v for k, v in dataclasses.asdict(options).items()
                    if k not in ("cache_dir", "use_cache", "explain")}
        _setups[:] = [(options, path, json.dumps(
            [repr(sorted(settings.items())), version_key(), sys.executable, sys.path],
            default=repr))]
    return _setups[0][2]


class Results:
    """The findings kept in one cache directory's database (made on the first save)."""

    def __init__(self, directory: str) -> None:
        self.db = database(directory)

    def load(self, path: str, wanted: str) -> Found | None:
        text = self.db.value("SELECT entry FROM findings WHERE path = ?", (path,))
        try:
            entry = json.loads(text) if isinstance(text, str) else None
            if entry is None or entry["key"] != wanted or entry["path"] != path:
                return None
            name, upto = entry["log"], entry["upto"]
            if not isinstance(name, str) or self._holding(name) < upto:
                return None
            return [(int(line), int(col), str(text)) for line, col, text in entry["found"]]
        except (ValueError, KeyError, TypeError):
            return None

    def _holding(self, name: str) -> int:
        """How many of the first reads of a log still hold."""
        if name not in _holding:
            count = 0
            for (line,) in self.db.rows("SELECT line FROM reads WHERE log = ? ORDER BY seq",
                                        (name,)):
                try:
                    kind, path, was = json.loads(line)
                except (ValueError, TypeError):
                    break
                if not _holds(kind, path, was):
                    break
                count += 1
            _holding[name] = count
        return _holding[name]

    def save(self, path: str, wanted: str, found: Found) -> None:
        """Keep a file's findings, with this process's reads so far (one transaction)."""
        pid, name, written = _own.get(self.db.path, (-1, "", 0))
        statements: list[Statement] = []
        if pid != os.getpid():  # (a forked worker starts a log of its own)
            name, written = uuid.uuid4().hex, 0
            statements += self._forget_old_logs()
            statements.append(("INSERT INTO logs (name, at) VALUES (?, ?)", (name, time.time())))
        entries = reads.log()
        statements += [("INSERT INTO reads (log, seq, line) VALUES (?, ?, ?)",
                        (name, seq, json.dumps(entries[seq], separators=(",", ":"))))
                       for seq in range(written, len(entries))]
        try:
            text = json.dumps({"path": path, "key": wanted, "log": name, "upto": len(entries),
                               "found": [list(f) for f in found]})
        except (ValueError, TypeError) as exc:
            LOG.info("flake8-async-tests: not keeping the findings of %s: %s", path, exc)
            return
        statements.append(("INSERT OR REPLACE INTO findings (path, entry) VALUES (?, ?)",
                           (path, text)))
        if self.db.write(statements):
            _own[self.db.path] = (os.getpid(), name, len(entries))

    def _forget_old_logs(self) -> list[Statement]:
        """Past MAX_LOGS logs, the older half goes (the findings resting on them miss)."""
        logs = [name for (name,) in self.db.rows("SELECT name FROM logs ORDER BY at")]
        if len(logs) <= MAX_LOGS:
            return []
        return [statement for old in logs[:len(logs) - MAX_LOGS // 2]
                for statement in (("DELETE FROM reads WHERE log = ?", (old,)),
                                  ("DELETE FROM logs WHERE name = ?", (old,)))]


def _holds(kind: str, path: str, was: object) -> bool:
    memo = (kind, path, json.dumps(was))
    if memo not in _now:
        _now[memo] = reads.holds((kind, path, was))
    return _now[memo]
