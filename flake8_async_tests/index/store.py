"""The index kept on disk between runs, in the manner of mypy's and ruff's caches.

One entry per module file, keyed by its absolute path and dotted name, holding the file's
size, mtime and content hash with its facts, in the cache directory's database
(cachedb.py). An entry is used only when the file still has that size and mtime, or that
content (a checkout that touched it but left it as it was); anything else is rebuilt.
Entries live in a database per format (the plugin's, the Python's and astroid's versions,
and the plugin's own files as installed: two commits of one version, such as two
pre-commit revisions, are two formats), so another version never reads them. A worker
about to build a large entry claims it first (a row made only if absent); one that finds
it claimed waits a little for the entry instead of building the same facts (with `-j`,
workers start together and need the same modules first). A missing, corrupt or unwritable
cache is never an error: the facts are built again from source, and the answers are the
same.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import time
from importlib import metadata

from .. import __version__, cachedb
from .compiled import Names
from .facts import ModuleFacts

FORMAT = 28  # bump when ModuleFacts or the entry layout changes
DEFAULT_DIR = ".async_tests_cache"
CLAIM_SECONDS = 5.0  # a claim older than this is a worker's that died: not waited for
WAIT_SECONDS = 2.0  # longest wait for an entry another worker claimed, then built here


def _astroid_version() -> str:
    try:
        return metadata.version("astroid")
    except metadata.PackageNotFoundError:  # pragma: no cover - astroid is a dependency
        return "none"


@functools.lru_cache(maxsize=None)
def version_key() -> str:
    text = (f"{FORMAT}-{__version__}-{sys.version_info[:3]}-{_astroid_version()}-"
            f"{_installed_files()}")
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _installed_files() -> str:
    """The plugin's own files as installed (name, size, mtime): another commit of the same
    version, or an edited checkout, reads no entry this one wrote."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".zip")):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                found.append(f"{os.path.relpath(os.path.join(folder, name), package)}:"
                             f"{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha1("\n".join(found).encode()).hexdigest()


def database(root: str) -> cachedb.Database:
    """The database of this format in the cache directory `root`."""
    return cachedb.at(root, f"cache-{version_key()}.sqlite3")


class Store:
    """The module entries in one cache directory's database (made on the first write)."""

    def __init__(self, directory: str) -> None:
        self.db = database(directory)

    @property
    def writable(self) -> bool:
        return self.db.usable

    @staticmethod
    def _key(path: str, name: str) -> str:
        return f"{path}\0{name}"

    def load(self, path: str, name: str, stat: os.stat_result, source: bytes | None = None,
             ) -> ModuleFacts | None:
        """The facts stored for `path` read as module `name`, if they still hold for the
        file as `stat` found it. With `source` (the file's bytes), an entry whose mtime
        differs but whose content hash matches holds too."""
        return self.facts_of(self.entry(path, name), path, name, stat, source)

    def entry(self, path: str, name: str) -> dict | None:
        """The entry stored for `path` read as `name`, as written; None when there is none
        (or it cannot be read)."""
        text = self.db.value("SELECT entry FROM modules WHERE key = ?", (self._key(path, name),))
        try:
            entry = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            return None  # unreadable: built again
        return entry if isinstance(entry, dict) else None

    @staticmethod
    def facts_of(entry: dict | None, path: str, name: str, stat: os.stat_result,
                 source: bytes | None = None) -> ModuleFacts | None:
        """The facts of an entry (`entry`), if they still hold for the file (see `load`)."""
        if entry is None:
            return None
        try:
            if (entry["path"], entry["name"], entry["size"]) != (path, name, stat.st_size):
                return None
            if entry["mtime"] != stat.st_mtime_ns and (
                    source is None or entry["sha1"] != hashlib.sha1(source).hexdigest()):
                return None
            return ModuleFacts.from_json(entry["facts"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # not ours: built again

    def names(self, path: str, name: str, stamp: list[int]) -> Names | None | bool:
        """What compiled.names gave for module `name` at `path` (None included) while its
        source and cache file had `stamp` (modules._bytecode_names); False where no such
        entry is kept."""
        text = self.db.value("SELECT entry FROM modules WHERE key = ?",
                             (self._key(path, name) + "\0names",))
        try:
            entry = json.loads(text) if isinstance(text, str) else None
            if not isinstance(entry, dict) or entry["stamp"] != stamp:
                return False
            found = entry["names"]
            if found is None:
                return None
            defs, async_defs, modules = found
            return Names(frozenset(map(str, defs)), frozenset(map(str, async_defs)),
                         tuple(map(str, modules)))
        except (ValueError, KeyError, TypeError):
            return False  # not ours: read again

    def save_names(self, path: str, name: str, stamp: list[int], found: Names | None) -> None:
        """Keep what compiled.names gave (with the linted file's findings, cachedb.flush)."""
        names = None if found is None else [sorted(found.defs), sorted(found.async_defs),
                                            list(found.modules)]
        self.db.later(("INSERT OR REPLACE INTO modules (key, entry) VALUES (?, ?)",
                       (self._key(path, name) + "\0names", json.dumps(
                           {"stamp": stamp, "names": names}, separators=(",", ":")))))

    def claim(self, path: str, name: str) -> bool:
        """Claim the entry of `path` read as `name` before building it: True when this
        process is to build it, False when another one claimed it first (and recently)."""
        key, now = self._key(path, name), time.time()
        if self.db.write([("INSERT INTO claims (key, at) VALUES (?, ?)", (key, now))],
                         pending=False):
            return True
        if not self.db.usable:
            return True
        at = self.db.value("SELECT at FROM claims WHERE key = ?", (key,))
        return not isinstance(at, float) or now - at > CLAIM_SECONDS  # (gone, or stale)

    def wait(self, path: str, name: str, stat: os.stat_result,
             source: bytes) -> ModuleFacts | None:
        """The entry another process claimed, once it is written; None when the claim goes
        away without it, or after WAIT_SECONDS (then it is built here)."""
        key = self._key(path, name)
        deadline = time.monotonic() + WAIT_SECONDS
        pause = 0.0005
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 0.01)
            found = self.load(path, name, stat, source)
            if found is not None or self.db.value(
                    "SELECT 1 FROM claims WHERE key = ?", (key,)) is None:
                return found if found is not None else self.load(path, name, stat, source)
        return None

    def release(self, path: str, name: str) -> None:
        self.db.write([("DELETE FROM claims WHERE key = ?", (self._key(path, name),))])

    def save(self, path: str, stat: os.stat_result, source: bytes, facts: ModuleFacts,
             now: bool = True) -> None:
        """Keep the facts of `path`: `now` (an entry another worker may be waiting for),
        or else with the next transaction (the linted file's findings, cachedb.flush)."""
        entry = {"path": path, "name": facts.name, "size": stat.st_size, "mtime": stat.st_mtime_ns,
                 "sha1": hashlib.sha1(source).hexdigest(), "facts": facts.to_json()}
        statement = ("INSERT OR REPLACE INTO modules (key, entry) VALUES (?, ?)",
                     (self._key(path, facts.name), json.dumps(entry, separators=(",", ":"))))
        if now:
            self.db.write([statement])
        else:
            self.db.later(statement)
