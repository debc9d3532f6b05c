"""The pinned real-world corpora: sdists from PyPI that ship their test suites."""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

# flake8's default --exclude (directory names), mirrored when listing files.
EXCLUDED_DIRS = {".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs"}


@dataclass(frozen=True)
class Corpus:
    name: str  # the PyPI name
    version: str
    tests: str  # the test directory, relative to the sdist's root
    package: str  # the import name, to find a test file that imports the project


CORPORA = {
    c.name: c
    for c in (
        Corpus("aiohttp", "3.14.5", "tests", "aiohttp"),
        Corpus("anyio", "4.16.0", "tests", "anyio"),
        Corpus("pytest-asyncio", "1.5.0", "tests", "pytest_asyncio"),
        Corpus("redis", "8.1.0", "tests", "redis"),
        Corpus("httpx", "0.28.1", "tests", "httpx"),
        Corpus("sqlalchemy", "2.1.9", "test", "sqlalchemy"),
        # Large suites (500+ test files): an async web framework and a large application
        # framework whose tests are mostly unittest classes.
        Corpus("fastapi", "0.165.0", "tests", "fastapi"),
        Corpus("django", "5.2.8", "tests", "django"),
    )
}
DEFAULT_CORPORA = ("aiohttp", "anyio", "pytest-asyncio", "redis", "httpx", "fastapi", "django")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _find_sdist(folder: Path, corpus: Corpus) -> Path | None:
    want = f"{_normal(corpus.name)}-{corpus.version}.tar.gz"
    for path in folder.glob("*.tar.gz"):
        stem, _, rest = path.name.partition("-")
        if f"{_normal(stem)}-{rest}".lower() == want:
            return path
    return None


def fetch(corpus: Corpus, cache: Path, python: str) -> Path:
    """Download (once) and unpack (once) the sdist; return the unpacked project root."""
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    archive = _find_sdist(sdists, corpus)
    if archive is None:
        # --no-binary for this package only: build backends may still come as wheels.
        subprocess.run(
            [python, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", corpus.name, f"{corpus.name}=={corpus.version}", "-d", str(sdists)],
            check=True,
        )
        archive = _find_sdist(sdists, corpus)
        if archive is None:
            raise SystemExit(f"no sdist for {corpus.name}=={corpus.version} in {sdists}")
    target = cache / "src"
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        root = target / top
        if not (root / corpus.tests).is_dir():
            try:
                tar.extractall(target, filter="data")
            except TypeError:  # Python without extraction filters
                tar.extractall(target)
    if not (root / corpus.tests).is_dir():
        raise SystemExit(f"{archive.name} has no {corpus.tests}/ directory")
    return root


def python_files(root: Path, folder: str) -> list[str]:
    """The files flake8 checks under root/folder (default --filename and --exclude),
    relative to root and sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root / folder):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in EXCLUDED_DIRS and not d.endswith(".egg"))
        for name in filenames:
            if name.endswith(".py"):
                found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(found)


def count_lines(root: Path, files: list[str]) -> int:
    total = 0
    for name in files:
        with open(root / name, "rb") as handle:
            total += handle.read().count(b"\n")
    return total


def single_file(root: Path, files: list[str], package: str) -> str | None:
    """The pre-commit case: of the test modules that import the project, the median-sized."""
    imports = re.compile(rf"^\s*(from|import)\s+{re.escape(package)}\b", re.M)
    candidates = []
    for name in files:
        if not os.path.basename(name).startswith("test_"):
            continue
        text = (root / name).read_text(encoding="utf-8", errors="replace")
        if imports.search(text):
            candidates.append((len(text), name))
    if not candidates:
        return None
    candidates.sort()
    return candidates[len(candidates) // 2][1]
