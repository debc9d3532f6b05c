"""Which file a dotted module name is, for an ordered list of import roots.

Found the way Python's path finder finds it, without importing: the first root that has
the top-level name as a package (`top/__init__.py`), a module (`top.py`) or an extension
module wins; directories without `__init__.py` are namespace package portions, searched
in order when no root has a regular package. Only pure-Python files are answered: a
module that is an extension, a namespace package itself or missing is None.
"""

from __future__ import annotations

import importlib.machinery
import os
import site
import sys
import sysconfig
from collections.abc import Sequence

from .. import reads

_EXTENSIONS = tuple(importlib.machinery.EXTENSION_SUFFIXES)
_entries: dict[str, dict[str, str]] = {}  # directory -> name -> "dir" / "py" / "ext"
_found: dict[tuple[tuple[str, ...], str], str | None] = {}
_files: dict[str, bool] = {}  # path -> is a file (asked once per run)


def scheme_dirs(keys: Sequence[str]) -> set[str]:
    """The interpreter's directories of these install-scheme keys ("stdlib", "purelib"...),
    for its own prefix and its base prefix (a virtual environment's interpreter)."""
    base = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
    return {scheme[key] for scheme in (sysconfig.get_paths(), sysconfig.get_paths(vars=base))
            for key in keys if scheme.get(key)}


def installed_dirs() -> tuple[str, ...]:
    """The interpreter's standard library and installed-package directories (real paths)."""
    found = scheme_dirs(("stdlib", "platstdlib", "purelib", "platlib"))
    try:
        found.update(site.getsitepackages())
        found.add(site.getusersitepackages())
    except AttributeError:  # pragma: no cover - site may be replaced in odd environments
        pass
    # this plugin's own modules
    found.add(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return tuple(sorted({os.path.realpath(d) for d in found if d}))


def new_run() -> None:
    _entries.clear()
    _found.clear()
    _files.clear()


def _isfile(path: str) -> bool:
    found = _files.get(path)
    if found is None:
        found = _files[path] = reads.isfile(path)
    return found


def listing(directory: str) -> dict[str, str]:
    """What a directory holds that an import could name, read once per run."""
    found = _entries.get(directory)
    if found is None:
        found = {}
        try:
            for entry in reads.scandir(directory, reads.CODE):
                name = entry.name
                try:
                    if name.endswith(".py") and name[:-3].isidentifier():
                        found.setdefault(name[:-3], "py")
                    elif name.isidentifier() and entry.is_dir():
                        found[name] = "dir"  # a package wins over a module
                    elif name.endswith(_EXTENSIONS):
                        found.setdefault(name.split(".")[0], "ext")
                except OSError:
                    continue
        except OSError:
            pass
        _entries[directory] = found
    return found


def _step(places: Sequence[str], part: str) -> tuple[str | None, list[str], str | None]:
    """(the .py file of `part` in the first of `places` that has it as a regular package
    or a module, else None; the namespace portions of `part` found before it; the place
    where it is an extension module instead, else None)."""
    portions: list[str] = []
    for place in places:
        kind = listing(place).get(part)
        if kind == "dir":
            directory = os.path.join(place, part)
            init = os.path.join(directory, "__init__.py")
            if _isfile(init):
                return init, [], None
            if _isfile(os.path.join(place, part + ".py")):
                return os.path.join(place, part + ".py"), [], None
            portions.append(directory)
        elif kind == "py":
            return os.path.join(place, part + ".py"), [], None
        elif kind == "ext":
            return None, [], place
    return None, portions, None


def extension_place(name: str, roots: Sequence[str]) -> str | None:
    """The directory a top-level module `name` is found in from `roots` when it is an
    extension module (found as `locate` finds modules); None when it is anything else."""
    return _step(roots, name)[2] if name.isidentifier() else None


def locate(name: str, roots: tuple[str, ...]) -> str | None:
    """The .py file of module `name` (a package's `__init__.py`) found from `roots`."""
    key = (roots, name)
    if key in _found:
        return _found[key]
    places: Sequence[str] = roots
    path: str | None = None
    for part in name.split("."):
        if not part.isidentifier():
            path = None
            break
        path, portions, _ = _step(places, part)
        if path is None and not portions:
            break
        if path is not None:
            places = [os.path.dirname(path)] if path.endswith("__init__.py") else []
        else:
            places = portions  # a namespace package: its submodules are in its portions
    _found[key] = path
    return path
