"""Runtime truth for AT200_binding.py: each call the fixture expects AT200 on makes a
coroutine; each call it leaves alone raises TypeError before any coroutine exists."""

from __future__ import annotations

import ast
import inspect

from harness import FIXTURES

SOURCE = (FIXTURES / "AT200_binding.py").read_text(encoding="utf-8")


def _calls(test_name: str) -> list[ast.expr]:
    tree = ast.parse(SOURCE)
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == test_name)
    return [stmt.value for stmt in func.body if isinstance(stmt, ast.Expr)]


def _namespace() -> dict:
    namespace: dict = {}
    exec(compile(SOURCE, "AT200_binding.py", "exec"), namespace)  # our own fixture
    namespace["client"] = namespace["Client"]()
    return namespace


def test_calls_that_fit_make_coroutines():
    namespace = _namespace()
    calls = _calls("test_calls_that_fit")
    assert len(calls) == 8
    for call in calls:
        made = eval(compile(ast.Expression(call), "call", "eval"), namespace)
        assert inspect.iscoroutine(made), ast.unparse(call)
        made.close()


def test_calls_that_do_not_fit_raise_type_error():
    namespace = _namespace()
    calls = _calls("test_calls_that_raise_type_error_first")
    assert len(calls) == 8
    for call in calls:
        try:
            made = eval(compile(ast.Expression(call), "call", "eval"), namespace)
        except TypeError:
            continue
        made.close()
        raise AssertionError(f"{ast.unparse(call)} made a coroutine")
