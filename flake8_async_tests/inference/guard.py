"""The import guard: while a file is analysed, no module from outside the interpreter's
own directories is imported for real."""

from __future__ import annotations

import copy
import importlib.abc
import os
import sys

from ..index.finder import installed_dirs
from .base import LOG


_installed_dirs = installed_dirs


class _Refused(importlib.abc.Loader):
    """The loader of a module that must not run: importing it fails before any of its code."""

    def __init__(self, name: str, place: str) -> None:
        self.name = name
        self.place = place

    def create_module(self, spec):
        LOG.info("flake8-async-tests: not importing %s from %s", self.name, self.place)
        raise ImportError(f"flake8-async-tests does not import {self.name} from {self.place}")

    def exec_module(self, module) -> None:  # pragma: no cover - create_module refuses first
        raise ImportError(f"flake8-async-tests does not import {self.name}")


class ImportGuard(importlib.abc.MetaPathFinder):
    """While a file is analysed, refuses to import modules from outside the interpreter's
    own directories.

    astroid imports a few modules for real: C extensions whose name looks like a standard
    library one, and, in its plugins, gi and numpy. With the project's directories on
    sys.path that would run the project's code. Such a module is still found (astroid looks
    modules up through the same finders), but loading it fails, and astroid answers
    "unknown".
    """

    def __init__(self) -> None:
        self.allowed = _installed_dirs()

    def allows(self, real: str) -> bool:
        """Is this real path in the interpreter's own directories?"""
        return any(real == d or real.startswith(d + os.sep) for d in self.allowed)

    def find_spec(self, name, path=None, target=None):
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            try:
                spec = find(name, path, target)
            except Exception:  # the import itself will report it
                return None
            if spec is not None:
                break
        if spec is None:
            return None
        places = list(spec.submodule_search_locations or ())
        if spec.has_location and spec.origin:
            places.append(spec.origin)
        for place in places:
            if not self.allows(os.path.realpath(place)):
                refused = copy.copy(spec)
                refused.loader = _Refused(name, place)
                return refused
        return None
