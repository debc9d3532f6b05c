"""Where a stored coroutine's name is read, as AT200 judges it: read from the file's one
walk (Syntax), checked against a plain walk of each function (the way it was read before)
on the fixtures and on the standard library's asyncio, unittest and json packages."""

from __future__ import annotations

import ast
import asyncio
import json
import os
import unittest
from pathlib import Path

import pytest

from flake8_async_tests.model import call_sites
from flake8_async_tests.model.scopes import Scopes
from flake8_async_tests.syntax import Syntax

FIXTURES = Path(__file__).parent / "fixtures"


def _files() -> list[str]:
    found = sorted(str(p) for p in FIXTURES.glob("*.py"))
    for package in (asyncio, unittest, json):
        folder = os.path.dirname(package.__file__)
        found += sorted(os.path.join(folder, name) for name in os.listdir(folder)
                        if name.endswith(".py"))
    return found


def _plain_walk(function: ast.AST) -> tuple[dict, dict[int, ast.AST]]:
    """Every name a function reads, with its parent, walking the function's subtree."""
    uses: dict = {}
    parents: dict[int, ast.AST] = {}
    nested: set[str] = set()
    stack = [(function, False)]
    while stack:
        node, inner = stack.pop()
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
            deeper = inner or type(child) in call_sites._NESTED
            if isinstance(child, ast.Name):
                if deeper or isinstance(child.ctx, ast.Del):
                    nested.add(child.id)
                elif isinstance(child.ctx, ast.Load):
                    found = uses.setdefault(child.id, [])
                    if found is not None:
                        found.append((child, node))
            else:
                stack.append((child, deeper))
    for name in nested:
        uses[name] = None
    return uses, parents


class _File:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.syntax = Syntax(tree)


@pytest.mark.parametrize("path", _files(), ids=lambda p: os.path.basename(p))
def test_each_read_and_its_truth_test_as_a_plain_walk_finds_them(path):
    tree = ast.parse(Path(path).read_bytes())
    file = _File(tree)
    scopes = Scopes(file)
    sites = call_sites.CallSites(scopes, file.syntax)
    functions = [scope for scope in scopes.all() if scope.is_function]
    for scope in functions:
        found = sites._name_uses(scope)
        expected, parents = _plain_walk(scope.node)
        assert set(found) == set(expected), scope.node.lineno
        for name, uses in expected.items():
            assert (found[name] is None) == (uses is None), (scope.node.lineno, name)
            if uses is None:
                continue
            got = {id(use): parent for use, parent in found[name]}  # type: ignore[union-attr]
            assert set(got) == {id(use) for use, _ in uses}, (scope.node.lineno, name)
            for use, parent in uses:
                assert call_sites._truth_position(use, got[id(use)], sites._parents[
                    id(scope.node)]) == call_sites._truth_position(use, parent, parents)
