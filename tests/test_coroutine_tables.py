"""The AT2xx tables that stand in for inference agree with the running Python."""

from __future__ import annotations

import asyncio
import inspect

from flake8_async_tests.checks.awaits import ASYNCIO_COROUTINES


def test_asyncio_coroutine_table_matches_this_python():
    actual = {name for name in asyncio.__all__
              if inspect.iscoroutinefunction(getattr(asyncio, name, None))}
    assert actual <= ASYNCIO_COROUTINES
    for name in ASYNCIO_COROUTINES:
        if hasattr(asyncio, name):
            assert name in actual, name
