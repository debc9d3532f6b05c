"""Every read of the linted project's files and folders goes through here, and is logged, so
that a file's findings can be reused in a later run while all that was read is as it was
(results.py).

A process logs its reads in order, each path once per run: a file by its mtime and size
(by its content's hash when it changed too recently for its mtime to tell, as git reasons
about its index), a folder by the names in it (None where it cannot be listed, so a
listing also tells that it is there). Asking whether a path exists logs the folder it is
in; asking what one path is (`kind`: where the other names of its folder do not matter,
as in folders above a project, which change with other projects) logs that path alone.
The findings of one file depend on no more than what its process had read by the time
they were found: a prefix of the log. The plugin's own cache folders are left out of
every listing (`IGNORED`): making them changes no answer.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator

# A path whose mtime is this close to the moment it is logged may change again within the
# same mtime tick (some filesystems keep whole seconds): it is checked by content.
RACY_SECONDS = 2.0
IGNORED: set[str] = set()  # absolute paths of the cache folders in use
IGNORED_NAMES: set[str] = set()  # and the name they have by default

Entry = tuple[str, str, object]  # ("f" file / "d" folder / "e" kind, path, fingerprint)
_log: list[Entry] = []
_logged: set[tuple[str, str]] = set()
_logged_folders: set[tuple[str, ...]] = set()  # groups logged by folders()


def new_run() -> None:
    _log.clear()
    _logged.clear()
    _logged_folders.clear()


def log() -> list[Entry]:
    """This process's reads in this run (a worker inherits what its parent read)."""
    return _log


def logged() -> set[tuple[str, str]]:
    """(kind, path) of each read logged in this run."""
    return _logged


def fingerprint(kind: str, path: str) -> object:
    """What a path is now, as the log keeps it (None when it cannot be read)."""
    if kind == "d":
        return _names(path)
    if kind == "e":
        return _kind(path)
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not racy(st):
        return [st.st_mtime_ns, st.st_size]
    return _content(path)


def racy(st: os.stat_result) -> bool:
    """Was the file changed so lately that a change in the same tick would not show in
    its mtime?"""
    return st.st_mtime_ns >= (time.time() - RACY_SECONDS) * 1e9


def holds(entry: Entry) -> bool:
    """Is the path still as the log found it?"""
    kind, path, was = entry
    now = fingerprint(kind, path)
    if kind == "f" and isinstance(was, str) and isinstance(now, list):
        now = _content(path)  # was changed just before it was logged, settled since
    return now == was


def _names(path: str, listed: list[str] | None = None) -> str | None:
    """A folder's names (`listed`, when the caller has just read them), as one hash."""
    try:
        names = sorted(n for n in (os.listdir(path) if listed is None else listed)
                       if n not in IGNORED_NAMES and os.path.join(path, n) not in IGNORED)
    except OSError:
        return None
    return "names:" + hashlib.sha1("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()


def _content(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return "sha1:" + hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return None


def _add(kind: str, path: str, listed: list[str] | None = None) -> None:
    if not os.path.isabs(path):  # (absolute paths come normalised from the callers)
        path = os.path.abspath(path)
    if (kind, path) not in _logged:
        _logged.add((kind, path))
        found = _names(path, listed) if listed is not None else fingerprint(kind, path)
        _log.append((kind, path, found))


def file(path: str) -> None:
    """The contents of `path` were read."""
    _add("f", path)


def folder(path: str) -> None:
    """Which names `path` holds was read."""
    _add("d", path)


def folders(paths: tuple[str, ...]) -> None:
    """folder() for each path (a group asked for again, as each file's import roots are,
    costs one lookup)."""
    if paths not in _logged_folders:
        _logged_folders.add(paths)
        for path in paths:
            _add("d", path)


def near(path: str) -> None:
    """Whether `path` exists (or what kind it is) was asked: its folder was read."""
    _add("d", os.path.dirname(path if os.path.isabs(path) else os.path.abspath(path)))


# -- the reads themselves --------------------------------------------------------------

def kind(path: str) -> str | None:
    """What is at `path`: "file", "folder", "other" or None (logged as that alone)."""
    if not os.path.isabs(path):
        path = os.path.abspath(path)
    _add("e", path)
    return _kind(path)


def _kind(path: str) -> str | None:
    """"file" for a regular file only (as os.path.isfile: a FIFO named pytest.ini is not
    one), "other" for anything else that is there."""
    try:
        return ("folder" if os.path.isdir(path) else "file" if os.path.isfile(path)
                else "other" if os.path.lexists(path) else None)
    except OSError:
        return None


def isfile(path: str) -> bool:
    near(path)
    return os.path.isfile(path)


def isdir(path: str) -> bool:
    near(path)
    return os.path.isdir(path)


def stat(path: str) -> os.stat_result:
    near(path)
    file(path)
    return os.stat(path)


def read_bytes(path: str) -> bytes:
    near(path)
    file(path)
    with open(path, "rb") as handle:
        return handle.read()


def listdir(path: str) -> list[str]:
    """A folder's names (logged as its listing, which is None where it cannot be read: so
    that it is there is logged too, without its parent's listing)."""
    try:
        names = os.listdir(path)
    except OSError:
        folder(path)
        raise
    _add("d", path, names)  # the names just read, not read again
    return names


def scandir(path: str) -> Iterator[os.DirEntry]:
    """The entries of a folder (read whole, so no handle stays open; logged as listdir)."""
    try:
        with os.scandir(path) as found:
            entries = list(found)
    except OSError:
        folder(path)
        raise
    _add("d", path, [entry.name for entry in entries])
    return iter(entries)


def walk(top: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk, each folder it lists logged (a caller may prune `dirs` as with os.walk)."""
    folder(top)  # (where top cannot be listed, os.walk yields nothing)
    for current, dirs, files in os.walk(top):
        folder(current)
        yield current, dirs, files
