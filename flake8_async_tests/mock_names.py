"""Names of unittest.mock and pytest-mock that several rule families need.

tests/test_mock_names.py checks these tables against the installed unittest.mock and pytest.
"""

from __future__ import annotations

import ast
import re

from .syntax import Syntax

MOCK = "unittest.mock."
SYNC_KINDS = frozenset({"Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock"})
ALL_KINDS = SYNC_KINDS | {"AsyncMock"}
MOCKER_NAMES = frozenset({"mocker", "class_mocker", "module_mocker", "package_mocker",
                          "session_mocker"})
# unittest.mock names people reach for through `pytest.`; pytest has none of them.
MOCK_MODULE_NAMES = frozenset({
    "Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock", "PropertyMock",
    "ThreadingMock", "ANY", "DEFAULT", "call", "patch", "sentinel", "create_autospec",
    "mock_open", "seal", "FILTER_DIR",
})
REAL_ASSERTS = frozenset({
    "assert_called", "assert_called_once", "assert_called_with", "assert_called_once_with",
    "assert_any_call", "assert_has_calls", "assert_not_called", "assert_awaited",
    "assert_awaited_once", "assert_awaited_with", "assert_awaited_once_with", "assert_any_await",
    "assert_has_awaits", "assert_not_awaited",
})
# Assertion-like names a mock does not have: reading one makes a child mock (Python 3.12+
# raises AttributeError for the first group, no version rejects the second).
FAKE_ASSERTS = frozenset({"called_once_with", "called_with", "any_call", "has_calls",
                          "not_called", "called_once"})
FAKE_AWAIT_ASSERTS = frozenset({"awaited_once_with", "awaited_with", "any_await", "has_awaits",
                                "not_awaited", "awaited_once"})
# Attributes every mock has whatever its spec.
MOCK_API = frozenset({
    "return_value", "side_effect", "called", "call_count", "call_args", "call_args_list",
    "mock_calls", "method_calls", "await_count", "await_args", "await_args_list", "reset_mock",
    "configure_mock", "attach_mock", "mock_add_spec",
}) | REAL_ASSERTS
# Words whose presence lets the mock rules look at a file, a class or a function at all.
MOCK_WORDS = (MOCK_MODULE_NAMES | REAL_ASSERTS | FAKE_ASSERTS | FAKE_AWAIT_ASSERTS | MOCKER_NAMES
              | {"mock", "create_autospec", "spec", "spec_set", "autospec"})
MOCK_WORD = re.compile(r"\b(?:%s)\b" % "|".join(sorted(MOCK_WORDS)))


def mentions_mocks(syntax: Syntax) -> bool:
    """Does a file name anything of unittest.mock or pytest-mock?"""
    return (any(n.id in MOCK_WORDS for n in syntax.of_type(ast.Name))  # type: ignore
            or any(n.attr in MOCK_WORDS for n in syntax.of_type(ast.Attribute))  # type: ignore
            or any(n.name.split(".")[-1] in MOCK_WORDS  # type: ignore
                   for n in syntax.of_type(ast.alias))
            or any(n.arg in MOCKER_NAMES for n in syntax.of_type(ast.arg)))  # type: ignore
