"""What every part of the astroid bridge shares: the manager and the errors that mean
"unknown"."""

from __future__ import annotations

import logging
import os

import astroid
from astroid.exceptions import AstroidError
from astroid.manager import AstroidManager


LOG = logging.getLogger("flake8.async_tests")


MANAGER = AstroidManager()


ASTROID_DIR = os.path.join(os.path.dirname(os.path.abspath(astroid.__file__)), "")


# astroid raises its own errors, and sometimes plain ones from deep inside: those count
# as "unknown" only when they come out of astroid's code (see `own`).
ERRORS = (AstroidError, RecursionError, AttributeError, TypeError, ValueError, KeyError,
          IndexError, StopIteration, AssertionError, MemoryError, OSError, NotImplementedError)


def own(exc: BaseException) -> None:
    """Re-raise an exception caught as one of ERRORS unless astroid raised it (or it is
    astroid's own, a recursion or a memory error): a bug of this plugin must reach the
    containment of its rule family (AT000 and a failing test), not pass for "unknown"."""
    if isinstance(exc, (AstroidError, RecursionError, MemoryError)):
        return
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.startswith(ASTROID_DIR):
            return
        trace = trace.tb_next
    raise exc
