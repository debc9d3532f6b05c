"""Findings kept between runs, in the manner of ruff's cache, beside the index (index/store.py).

One entry per linted file holds its findings, under a key made of the file's path and
text, the plugin's options, the plugin's own code, the Python and astroid it runs on and
the import path. An entry is reused only while everything its process had read by the
time the findings were made is as it was: the entry names that process's log of reads
(reads.py) and how much of it counts. A log is checked once per run, path by path, and
is good up to the first path that changed. Logs and entries are written to a temporary
file renamed into place (logs are appended to, each line whole), so `-j` workers and two
runs at once never read half of one; anything missing, corrupt or foreign is a miss, and
the file is analysed as if there were no cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sys
import uuid
from typing import Any

from . import reads
from .index.store import prepare, version_key, write_entry

LOG = logging.getLogger("flake8.async_tests")
MAX_LOGS = 32  # past this many logs in a cache, the older half goes (their entries miss)
Found = list[tuple[int, int, str]]

_holding: dict[str, int] = {}  # log name -> how many of its first reads hold (this run)
_now: dict[tuple[str, str, str], bool] = {}  # (kind, path, was) -> still holds (this run)
_own: dict[str, tuple[int, str, int]] = {}  # folder -> (pid, this process's log, lines in it)
_code: list[str] = []
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


def code_key() -> str:
    """The plugin's own files as they are (a changed plugin changes every finding)."""
    if not _code:
        package = os.path.dirname(os.path.abspath(__file__))
        parts = []
        for current, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json")):
                    st = os.stat(os.path.join(current, name))
                    parts.append(f"{os.path.relpath(os.path.join(current, name), package)}"
                                 f":{st.st_mtime_ns}:{st.st_size}")
        _code.append(hashlib.sha1("\n".join(parts).encode()).hexdigest())
    return _code[0]


def key(path: str, lines: list[str], options: Any) -> str:
    """What an entry must match besides its reads: the file, options, code, interpreter."""
    text = json.dumps([path, hashlib.sha1("".join(lines).encode("utf-8", "surrogatepass")
                                          ).hexdigest(), _setup(options)])
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _setup(options: Any) -> str:
    """The options, the plugin's code, the interpreter and the import path, as text (made
    again only when the options object or the import path is another)."""
    path = tuple(sys.path)
    if not (_setups and _setups[0][0] is options and _setups[0][1] == path):
        settings = {k: v for k, v in dataclasses.asdict(options).items()
                    if k not in ("cache_dir", "use_cache", "explain")}
        _setups[:] = [(options, path, json.dumps(
            [repr(sorted(settings.items())), code_key(), sys.executable, sys.path],
            default=repr))]
    return _setups[0][2]


class Results:
    """The entries under one cache directory (written on the first save)."""

    def __init__(self, directory: str) -> None:
        self.root = directory
        self.folder = os.path.join(directory, f"results-{version_key()}")
        self.writable = True

    def _entry(self, path: str) -> str:
        digest = hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.folder, digest[:2], digest[2:] + ".json")

    def load(self, path: str, wanted: str) -> Found | None:
        try:
            with open(self._entry(path), encoding="utf-8") as handle:
                entry = json.load(handle)
            if entry["key"] != wanted or entry["path"] != path:
                return None
            name, upto = entry["log"], entry["upto"]
            if not isinstance(name, str) or not name.isalnum() or self._holding(name) < upto:
                return None
            return [(int(line), int(col), str(text)) for line, col, text in entry["found"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _holding(self, name: str) -> int:
        """How many of the first reads of a log still hold."""
        if name not in _holding:
            count = 0
            try:
                with open(os.path.join(self.folder, f"log-{name}.jsonl"),
                          encoding="utf-8") as handle:
                    for line in handle:
                        if not line.endswith("\n"):
                            break  # being written by its process
                        kind, path, was = json.loads(line)
                        if not _holds(kind, path, was):
                            break
                        count += 1
            except (OSError, ValueError, TypeError):
                pass
            _holding[name] = count
        return _holding[name]

    def save(self, path: str, wanted: str, found: Found) -> None:
        if not self.writable:
            return
        try:
            name, upto = self._write_log()
            write_entry(self.root, self._entry(path), {
                "path": path, "key": wanted, "log": name, "upto": upto,
                "found": [list(f) for f in found]})
        except (OSError, ValueError, TypeError) as exc:
            self.writable = False
            LOG.info("flake8-async-tests: not writing findings to %s: %s", self.folder, exc)

    def _write_log(self) -> tuple[str, int]:
        """This process's log of reads in this run, brought up to date: (its name, its
        length). A forked worker starts a log of its own."""
        pid, name, written = _own.get(self.folder, (-1, "", 0))
        if pid != os.getpid():
            prepare(self.root, self.folder)
            self._forget_old_logs()
            name, written = uuid.uuid4().hex, 0
        entries = reads.log()
        if written < len(entries):
            text = "".join(json.dumps(e, separators=(",", ":")) + "\n"
                           for e in entries[written:])
            with open(os.path.join(self.folder, f"log-{name}.jsonl"), "a",
                      encoding="utf-8") as out:
                out.write(text)
        _own[self.folder] = (os.getpid(), name, len(entries))
        return name, len(entries)

    def _forget_old_logs(self) -> None:
        try:
            logs = [os.path.join(self.folder, n) for n in os.listdir(self.folder)
                    if n.startswith("log-")]
            if len(logs) <= MAX_LOGS:
                return
            logs.sort(key=os.path.getmtime)
            for old in logs[:len(logs) - MAX_LOGS // 2]:
                os.unlink(old)
        except OSError:
            pass  # another process is at it


def _holds(kind: str, path: str, was: object) -> bool:
    memo = (kind, path, json.dumps(was))
    if memo not in _now:
        _now[memo] = reads.holds((kind, path, was))
    return _now[memo]
