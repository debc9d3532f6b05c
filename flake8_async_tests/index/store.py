"""The index kept on disk between runs, in the manner of mypy's and ruff's caches.

One JSON entry per module file, named by a hash of its absolute path, holding the file's
size, mtime and content hash with its facts. An entry is used only when the file still
has that size and mtime, or that content (a checkout that touched it but left it as it
was); anything else is rebuilt. Entries live in a folder per format (the plugin's, the
Python's and astroid's versions, and the plugin's own files as installed: two commits of
one version, such as two pre-commit revisions, are two formats), so another version never
reads them. Writes go to a
temporary file renamed into place, so `-j` workers and two runs at once never see half an
entry. A worker about to build an entry claims it first (a file made only if absent); one
that finds it claimed waits a little for the entry instead of building the same facts
(with `-j`, workers start together and need the same modules first). A missing, corrupt or
unwritable cache is never an error: the facts are built again from source, and the
answers are the same.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from importlib import metadata

from .. import __version__
from .facts import ModuleFacts

LOG = logging.getLogger("flake8.async_tests")
FORMAT = 27  # bump when ModuleFacts or the entry layout changes
DEFAULT_DIR = ".async_tests_cache"
CLAIM_SECONDS = 5.0  # a claim older than this is a worker's that died: not waited for
WAIT_SECONDS = 2.0  # longest wait for an entry another worker claimed, then built here
TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
       "# This file is a cache directory tag created by flake8-async-tests.\n"
       "# For information about cache directory tags, see https://bford.info/cachedir/\n")


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


class Store:
    """The entries under one cache directory (created on the first write)."""

    def __init__(self, directory: str) -> None:
        self.root = directory
        self.folder = os.path.join(directory, f"index-{version_key()}")
        self.writable = True

    def _entry(self, path: str, name: str) -> str:
        key = f"{path}\0{name}".encode("utf-8", "surrogatepass")
        digest = hashlib.sha1(key).hexdigest()
        return os.path.join(self.folder, digest[:2], digest[2:] + ".json")

    def load(self, path: str, name: str, stat: os.stat_result, source: bytes | None = None,
             ) -> ModuleFacts | None:
        """The facts stored for `path` read as module `name`, if they still hold for the
        file as `stat` found it. With `source` (the file's bytes), an entry whose mtime
        differs but whose content hash matches holds too."""
        return self.facts_of(self.entry(path, name), path, name, stat, source)

    def entry(self, path: str, name: str) -> dict | None:
        """The entry stored for `path` read as `name`, as written; None when there is none
        (or it cannot be read)."""
        try:
            with open(self._entry(path, name), encoding="utf-8") as handle:
                entry = json.load(handle)
            return entry if isinstance(entry, dict) else None
        except (OSError, ValueError):
            return None  # none yet, or unreadable: built again

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

    def claim(self, path: str, name: str) -> bool:
        """Claim the entry of `path` read as `name` before building it: True when this
        process is to build it, False when another one claimed it first (and recently)."""
        if not self.writable:
            return True
        claim = self._entry(path, name) + ".claim"
        try:
            prepare(self.root, os.path.dirname(claim))
            os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return True
        except FileExistsError:
            try:
                return time.time() - os.stat(claim).st_mtime > CLAIM_SECONDS
            except OSError:
                return True  # released meanwhile: the entry is there, or build it
        except OSError:
            return True

    def wait(self, path: str, name: str, stat: os.stat_result,
             source: bytes) -> ModuleFacts | None:
        """The entry another process claimed, once it is written; None when the claim goes
        away without it, or after WAIT_SECONDS (then it is built here)."""
        claim = self._entry(path, name) + ".claim"
        deadline = time.monotonic() + WAIT_SECONDS
        pause = 0.0005
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 0.01)
            found = self.load(path, name, stat, source)
            if found is not None or not os.path.exists(claim):
                return found if found is not None else self.load(path, name, stat, source)
        return None

    def release(self, path: str, name: str) -> None:
        _remove(self._entry(path, name) + ".claim")

    def save(self, path: str, stat: os.stat_result, source: bytes, facts: ModuleFacts) -> None:
        if not self.writable:
            return
        target = self._entry(path, facts.name)
        entry = {"path": path, "name": facts.name, "size": stat.st_size, "mtime": stat.st_mtime_ns,
                 "sha1": hashlib.sha1(source).hexdigest(), "facts": facts.to_json()}
        try:
            write_entry(self.root, target, entry)
        except (OSError, ValueError, TypeError) as exc:
            self.writable = False  # one log line, then the run goes on without writing
            LOG.info("flake8-async-tests: not writing the cache in %s: %s", self.root, exc)


def write_entry(root: str, target: str, entry: object) -> None:
    """Write one JSON entry of the cache directory `root`: to a temporary file renamed into
    place, so that no reader ever sees half of it."""
    prepare(root, os.path.dirname(target))
    text = json.dumps(entry, separators=(",", ":"))  # whole, by the C encoder (dump is not)
    handle, temp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise


def prepare(root: str, folder: str) -> None:
    """Make `folder` inside the cache directory `root`, and `root` itself the first time,
    ignored by git and by backup tools, whoever creates it."""
    if os.path.isdir(folder):
        return
    if not os.path.isdir(root):
        os.makedirs(root, exist_ok=True)
        _write_once(os.path.join(root, ".gitignore"), "# Created by "
                    "flake8-async-tests automatically.\n*\n")
        _write_once(os.path.join(root, "CACHEDIR.TAG"), TAG)
    os.makedirs(folder, exist_ok=True)


def _write_once(path: str, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        pass


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
