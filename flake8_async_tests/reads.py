"""Every read of the linted project's files and folders goes through here, and is logged, so
that a file's findings can be reused in a later run while all that was read is as it was
(results.py).

A process logs its reads in order, each path once per run: a file by its mtime and size
(by its content's hash when it changed too recently for its mtime to tell, as git reasons
about its index), a folder by the names in it (None where it cannot be listed, so a
listing also tells that it is there), and a path by what is there (`kind`: a file, a
folder, something else or nothing; whether a file exists is asked so). Most listings
keep only the names their readers can use: code (`CODE`: folders, and files an import can
load, each marked as one or the other), requirement files (`REQUIREMENTS`) or
distributions' metadata (`METADATA`), so that an editor's swap file, an output file or a
coverage file made in a folder changes no entry.
The findings of one file depend on no more than what its process had read by the time
they were found: a prefix of the log. The plugin's own cache folders (`IGNORED`) are left
out of every listing, and hidden names (`.git`, `.venv`) of all but the whole one: making
them changes no answer.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import time
from collections.abc import Iterator

# A path whose mtime is this close to the moment it is logged may change again within the
# same mtime tick (some filesystems keep whole seconds): it is checked by content.
RACY_SECONDS = 2.0
IGNORED: set[str] = set()  # absolute paths of the cache folders in use
IGNORED_NAMES: set[str] = set()  # and the name they have by default
# Which names of a folder a listing keeps: every one, the code an import or a search for
# test modules can find (not hidden: a folder, or a file with a module suffix; each marked
# as a folder and as a link where it is one), the requirement files (is_requirements), or
# the distributions' metadata (`.dist-info`, `.egg-info`: what importlib.metadata finds).
WHOLE, CODE, REQUIREMENTS, METADATA = "d", "c", "r", "m"
CODE_SUFFIXES = tuple(dict.fromkeys((*importlib.machinery.all_suffixes(), ".so", ".pyd")))
REQUIREMENT_SUFFIXES = (".txt", ".in")
METADATA_SUFFIXES = (".dist-info", ".egg-info")

# (kind, path, fingerprint): "f" a file, "e" what is at a path, or a listing (WHOLE, CODE,
# REQUIREMENTS, METADATA)
Entry = tuple[str, str, object]
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
    if kind in (WHOLE, CODE, REQUIREMENTS, METADATA):
        return _names(path, kind)
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


def _names(path: str, only: str = WHOLE, listed: list[os.DirEntry] | None = None,
           ) -> str | None:
    """The names in a folder that a listing of kind `only` keeps (from `listed`, when the
    caller has just read them), as one hash; a folder among the code is marked so."""
    try:
        entries = [e for e in (listed if listed is not None else _entries(path))
                   if e.name not in IGNORED_NAMES and os.path.join(path, e.name) not in IGNORED]
        if only == WHOLE:
            names = [e.name for e in entries]
        elif only == CODE:  # (a link marked: os.walk enters no linked folder)
            names = [e.name + ("@" if e.is_symlink() else "") + (os.sep if entry_is_dir(e) else "")
                     for e in entries if not e.name.startswith(".")
                     and (e.name.endswith(CODE_SUFFIXES) or entry_is_dir(e))]
        elif only == METADATA:
            names = [e.name for e in entries if e.name.lower().endswith(METADATA_SUFFIXES)]
        else:
            names = [e.name for e in entries if is_requirements(e.name)]
    except OSError:
        return None
    text = "\0".join(sorted(names))
    return f"{only}:" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def is_requirements(name: str) -> bool:
    """requirements.txt, test-requirements.in, reqs.txt: a requirement file by its name."""
    return name.endswith(REQUIREMENT_SUFFIXES) and "req" in name.lower()


def _entries(path: str) -> list[os.DirEntry]:
    with os.scandir(path) as found:
        return list(found)


def entry_is_dir(entry: os.DirEntry) -> bool:
    """Is a listed entry a folder (or a link to one)? False where that cannot be told."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _content(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return "sha1:" + hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return None


def _add(kind: str, path: str, listed: list[os.DirEntry] | None = None) -> None:
    if not os.path.isabs(path):  # (absolute paths come normalised from the callers)
        path = os.path.abspath(path)
    if (kind, path) not in _logged:
        _logged.add((kind, path))
        found = _names(path, kind, listed) if listed is not None else fingerprint(kind, path)
        _log.append((kind, path, found))


def file(path: str) -> None:
    """The contents of `path` were read."""
    _add("f", path)


def folder(path: str, only: str = WHOLE) -> None:
    """Which names `path` holds was read (those a listing of kind `only` keeps)."""
    _add(only, path)


def folders(paths: tuple[str, ...]) -> None:
    """The code in each of `paths` (import roots: a module added there could change what
    a name finds); a group asked for again, as each file's roots are, costs one lookup."""
    if paths not in _logged_folders:
        _logged_folders.add(paths)
        for path in paths:
            _add(CODE, path)


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
    """Logged as kind(path)."""
    return kind(path) == "file"


def isdir(path: str) -> bool:
    """Logged as kind(path): whether a folder is there depends on that path alone (a
    project's root or an import root: what else the folder above holds does not matter)."""
    return kind(path) == "folder"


def stat(path: str) -> os.stat_result:
    file(path)  # (which tells whether it is there, too)
    return os.stat(path)


def read_bytes(path: str) -> bytes:
    file(path)
    with open(path, "rb") as handle:
        return handle.read()


def listdir(path: str, only: str = WHOLE) -> list[str]:
    """A folder's names, logged as a listing of kind `only` (the caller uses no other
    names). A listing is None where the folder cannot be listed: so that it is there is
    logged too, without its parent's listing."""
    return [entry.name for entry in scandir(path, only)]


def scandir(path: str, only: str = WHOLE) -> Iterator[os.DirEntry]:
    """The entries of a folder (read whole, so no handle stays open; logged as listdir)."""
    try:
        entries = _entries(path)
    except OSError:
        folder(path, only)
        raise
    _add(only, path, entries)  # (the entries just read, not read again)
    return iter(entries)


def walk(top: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk, each folder it lists logged as code (a caller may prune `dirs` as with
    os.walk, and reads only code: hidden folders are left out of the log)."""
    folder(top, CODE)  # (where top cannot be listed, os.walk yields nothing)
    for current, dirs, files in os.walk(top):
        folder(current, CODE)
        yield current, dirs, files
