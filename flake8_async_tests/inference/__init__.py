"""The astroid bridge: the one place that talks to astroid.

Everything here answers "don't know" (None) rather than guess: on any astroid error, on
Uninferable, on several candidates that disagree, and once a file has used up its
inference budget. astroid reads source only; nothing of the linted project is imported or
run (the import guard refuses the few imports astroid would do).

`session` runs one file's analysis (import path, settings, budget, guard, cache resets),
`guard` is the import guard, `building` builds astroid trees, `infer` asks for values,
and `names`, `classes` and `functions` answer the rules' questions about each (`api`
gathers their names).

Loaded on first use: importing astroid is a good part of importing the plugin, and most
files never ask it anything. `analysis` marks a file's analysis; its astroid session (the
import path, settings, budget and guard of `session.analysis`) starts at the file's first
use of a name of this package, and ends with the file.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator, Sequence

_pending: list[str] | None = None  # the file's import roots, while its session has not begun
_stack: contextlib.ExitStack | None = None  # the file's session, once begun
_api = None  # the api module, once imported
_spent = False  # the last file analysed ran out of inference budget


@contextlib.contextmanager
def analysis(search_path: Sequence[str]) -> Iterator[None]:
    """One file's analysis; astroid's session for it begins when the file first needs it.
    At its end, what astroid read is logged (reads.py)."""
    global _pending, _stack, _spent
    saved = _pending, _stack
    _pending, _stack = list(search_path), contextlib.ExitStack()
    _spent = False
    try:
        with _stack:
            yield
            if _pending is None:  # the session began
                _spent = sys.modules[f"{__name__}.session"].log_reads()
    finally:
        _pending, _stack = saved


def spent() -> bool:
    """Did the last file analysed run out of inference budget?"""
    return _spent


def budget_used_up() -> bool:
    """Has the file being analysed used up its inference budget by now?"""
    session = sys.modules.get(f"{__name__}.session")
    return session is not None and _pending is None and session.current().exhausted


def new_run() -> None:
    """A new flake8 run: astroid's caches go, if astroid was ever asked anything."""
    session = sys.modules.get(f"{__name__}.session")
    if session is not None:
        session.new_run()


def __getattr__(name: str):
    global _pending, _api
    api = _api
    if api is None:
        api = _api = importlib.import_module(f"{__name__}.api")  # before the import guard
    if name not in api.__all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _pending is not None and _stack is not None:
        search_path, _pending = _pending, None
        _stack.enter_context(api.session_analysis(search_path))
    return getattr(api, name)
