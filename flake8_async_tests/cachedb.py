"""The cache directory's database: one SQLite file per format, holding the index's module
entries (index/store.py), the findings kept per test file and the logs of reads they rest
on (results.py).

One file, not a file per entry: creating and renaming a file per entry cost a tenth of a
millisecond to a millisecond each on some file systems, a fifth of a first run on a large
project; a row costs a few microseconds (mypy keeps an SQLite cache for the same reason).
SQLite's transactions give what the temporary file renamed into place gave: `-j` workers
and two runs at once never read half an entry. The journal is a write-ahead log, so
readers never wait for a writer. A connection is made once per process (a forked `-j`
worker makes its own and never touches its parent's). Any error is a miss: a file that is
not a database is made again, and one that cannot be opened or written is left alone for
the rest of the run; the answers are those of a run with no cache.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Sequence
from typing import Any

try:
    import sqlite3
except ImportError:  # pragma: no cover - a Python built without SQLite: no cache
    sqlite3 = None  # type: ignore[assignment]

LOG = logging.getLogger("flake8.async_tests")
TIMEOUT = 10.0  # seconds a statement waits for another process's write
TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
       "# This file is a cache directory tag created by flake8-async-tests.\n"
       "# For information about cache directory tags, see https://bford.info/cachedir/\n")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS modules (key TEXT PRIMARY KEY, entry TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS findings (path TEXT PRIMARY KEY, entry TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS logs (name TEXT PRIMARY KEY, at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS reads (log TEXT NOT NULL, seq INTEGER NOT NULL, "
    "line TEXT NOT NULL, PRIMARY KEY (log, seq))",
)
Statement = tuple[str, Sequence[Any]]

_open: dict[str, Database] = {}
_inherited: list[Any] = []  # a parent's connections, kept (never closed) in a forked worker


def new_run() -> None:
    """Close this process's connections: a long-lived process (an editor's) opens the file
    again in its next run, wherever the cache directory is by then."""
    for database in _open.values():
        database.close()
    _open.clear()


def flush() -> None:
    """Write what waits to be written with the next transaction (Database.later), in
    every database of this process: called when a file is done."""
    for database in _open.values():
        if database.pending:
            database.write([])


def at(root: str, name: str) -> Database:
    """The database `name` in the cache directory `root` (one object per file)."""
    path = os.path.join(root, name)
    if path not in _open:
        _open[path] = Database(root, path)
    return _open[path]


class Database:
    def __init__(self, root: str, path: str) -> None:
        self.root = root
        self.path = path
        self.usable = sqlite3 is not None  # False after an error: not used again this run
        self._pid = -1
        self._conn: Any = None
        self.pending: list[Statement] = []  # written with the next transaction

    def _connection(self, create: bool) -> Any:
        if not self.usable:
            return None
        if self._pid == os.getpid():
            return self._conn
        if not create and not os.path.exists(self.path):
            return None  # (nothing written yet: asked again next time)
        self.close()  # (a parent's connection, in a forked worker: kept, never closed)
        self._pid = os.getpid()
        try:
            prepare(self.root)
            self._conn = _connect(self.path)
        except (sqlite3.OperationalError, OSError) as exc:  # cannot open or write, locked
            self._give_up(exc)
        except sqlite3.DatabaseError as exc:  # not a database: made again
            LOG.info("flake8-async-tests: remaking the cache %s: %s", self.path, exc)
            try:
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(self.path + suffix):
                        os.unlink(self.path + suffix)
                self._conn = _connect(self.path)
            except (sqlite3.Error, OSError) as again:
                self._give_up(again)
        return self._conn

    def close(self) -> None:
        """Close this process's connection; keep a parent's (closing it in a forked
        worker would release the parent's locks on the file)."""
        if self._conn is not None:
            if self._pid == os.getpid():
                self._conn.close()
            else:
                _inherited.append(self._conn)
        self._pid, self._conn = -1, None

    def _give_up(self, exc: BaseException) -> None:
        if self.usable:
            LOG.info("flake8-async-tests: not using the cache %s: %s", self.path, exc)
        self.usable = False
        self._conn = None

    def rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows a query gives; none when there is no database or it cannot be read."""
        conn = self._connection(create=False)
        if conn is None:
            return []
        try:
            return conn.execute(query, params).fetchall()
        except sqlite3.Error as exc:
            LOG.debug("flake8-async-tests: cache read failed: %s", exc)
            return []

    def value(self, query: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        found = self.rows(query, params)
        return found[0][0] if found else None

    def later(self, statement: Statement) -> None:
        """Write `statement` with the next transaction (one per linted file, not one per
        entry: see flush)."""
        self.pending.append(statement)

    def write(self, statements: Iterable[Statement], pending: bool = True) -> bool:
        """Run the statements in one transaction, after those waiting (`later`) unless not
        `pending`; False when it did not happen (a statement whose constraint fails undoes
        them all; any other error stops writing)."""
        conn = self._connection(create=True)
        if conn is None:
            self.pending.clear()
            return False
        if pending and self.pending:
            statements = [*self.pending, *statements]
            self.pending.clear()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for query, params in statements:
                    conn.execute(query, params)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return True
        except sqlite3.IntegrityError:
            return False
        except sqlite3.Error as exc:
            self._give_up(exc)
            return False


def _connect(path: str) -> Any:
    conn = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None,
                           check_same_thread=False)
    try:
        _write_ahead(conn)
        conn.execute("PRAGMA synchronous=NORMAL")  # (with WAL: durable but for a power cut)
        for statement in SCHEMA:
            conn.execute(statement)
    except BaseException:
        conn.close()
        raise
    return conn


def _write_ahead(conn: Any) -> None:
    """Set the write-ahead journal. SQLite does not wait its busy timeout for this where
    another connection holds the file (two `-j` workers making a new database at once): it
    says "database is locked" at once, so it is asked again, up to TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def prepare(root: str) -> None:
    """Make the cache directory `root`, ignored by git and by backup tools, whoever
    creates it."""
    if os.path.isdir(root):
        return
    os.makedirs(root, exist_ok=True)
    _write_once(os.path.join(root, ".gitignore"), "# Created by "
                "flake8-async-tests automatically.\n*\n")
    _write_once(os.path.join(root, "CACHEDIR.TAG"), TAG)


def _write_once(path: str, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        pass
