"""The shared syntax index hands out every node once, in the scope Python evaluates it in."""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_async_tests.syntax import SCOPES, Syntax
from harness import places, run_flake8

SKIPPED = (ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.arguments)

TRICKY = textwrap.dedent('''
    from typing import Annotated
    import pytest

    def read(item: Annotated[int, (lambda: 5)], *, key=lambda k=1: k) -> (lambda: 0):
        return item

    @pytest.mark.parametrize("f", [lambda x: x, lambda: (yield)])
    class Outer(Base, metaclass=Meta, **extra):
        attr = [y for y in range(3) if (z := y)]

        @decorate(lambda: 1)
        async def method(self, a=default(), *args, b: int = 2, **kw):
            async def inner():
                return [await q async for q in source()]
            class Nested:
                x = lambda self: self
            return inner

    match command:
        case {"go": direction, **rest}:
            pass
        case [first, *others]:
            pass
''')


def reference(tree: ast.Module) -> dict[int, ast.AST]:
    """node id -> scope, by a plain recursive walk that follows Python's rules."""
    found: dict[int, ast.AST] = {}

    def visit(node: ast.AST, scope: ast.AST) -> None:
        if isinstance(node, SKIPPED):
            for child in ast.iter_child_nodes(node):
                visit(child, scope)
            return
        found[id(node)] = scope
        if isinstance(node, ast.ClassDef):
            for child in (*node.decorator_list, *node.bases, *node.keywords):
                visit(child, scope)
            for child in node.body:
                visit(child, node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs,
                     *(a for a in (args.vararg, args.kwarg) if a is not None)]
            outside = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
            if not isinstance(node, ast.Lambda):
                outside += [*node.decorator_list,
                            *(a.annotation for a in every if a.annotation is not None)]
                if node.returns is not None:
                    outside.append(node.returns)
            for child in outside:
                visit(child, scope)
            for arg in every:
                found[id(arg)] = node
            for child in (node.body if isinstance(node.body, list) else [node.body]):
                visit(child, node)
        else:
            for child in ast.iter_child_nodes(node):
                visit(child, scope)

    for stmt in tree.body:
        visit(stmt, tree)
    return found


def sources() -> list[tuple[str, str]]:
    package = Path(__file__).parent.parent / "flake8_async_tests"
    files = sorted(package.rglob("*.py"))
    stdlib = Path(ast.__file__).parent / "asyncio"
    files += sorted(stdlib.glob("*.py"))[:12]
    return [("tricky", TRICKY)] + [(p.name, p.read_text(encoding="utf-8")) for p in files]


@pytest.mark.parametrize("name,text", sources(), ids=[n for n, _ in sources()])
def test_every_node_once_in_its_scope(name, text):
    tree = ast.parse(text)
    index = Syntax(tree)
    want = reference(tree)
    got: dict[int, ast.AST] = {}
    for scope in index.scopes:
        for node in index.scope_nodes(scope):
            assert id(node) not in got, f"{type(node).__name__} handed out twice"
            got[id(node)] = scope
    assert got == want


@pytest.mark.parametrize("name,text", sources(), ids=[n for n, _ in sources()])
def test_children_are_the_scopes_a_scope_defines_in_walk_order(name, text):
    index = Syntax(ast.parse(text))
    for scope in index.scopes:
        want = [node for node in index.scope_nodes(scope) if isinstance(node, SCOPES)]
        assert index.children(scope) == want
        assert all(index.enclosing(node) is scope for node in index.children(scope))


def test_headers_can_be_left_out():
    tree = ast.parse(TRICKY)
    index = Syntax(tree)
    outer = next(n for n in index.of_type(ast.ClassDef) if n.name == "Outer")
    method = next(n for n in outer.body if isinstance(n, ast.AsyncFunctionDef))
    with_headers = index.scope_nodes(outer)
    without = index.scope_nodes(outer, headers=False)
    assert method in without
    assert method.decorator_list[0] in with_headers
    assert method.decorator_list[0] not in without
    assert index.enclosing(method) is outer
    assert index.enclosing(outer) is tree


def test_lambda_in_an_annotation_is_linted(tmp_path):
    (tmp_path / "test_annotated.py").write_text(TRICKY + textwrap.dedent('''
        async def fetch():
            return 1

        def test_drop():
            fetch()
    '''), encoding="utf-8")
    found, proc = run_flake8(tmp_path, ["--async-tests-report-errors"])
    found = places(found)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert ("test_annotated.py", TRICKY.count("\n") + 6, "AT200") in found
    assert not [f for f in found if f[2] == "AT000"], found


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type aliases: Python 3.12 and later")
def test_a_type_alias_binds_its_name_again():
    """`X = False` then `type X = int`: X is no constant of the module (branches.py)."""
    from flake8_async_tests.model.branches import constants

    tree = ast.parse("X = False\ntype X = int\nY = False\n")
    assert constants(Syntax(tree)) == {"Y": (False, 3)}
