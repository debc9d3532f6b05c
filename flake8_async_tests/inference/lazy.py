"""Function bodies of other modules, built when first used.

Building a module, astroid builds every function body in it, though questions read
few (on redis's suite, whose tests use one large client class, a quarter of astroid's
module builds went to such bodies). While the plugin analyses, a module astroid
builds from a file gets each function's header (decorators, arguments, annotations,
docstring) at once, and its body the first time anything reads `body` (inference of a
call, a walk of the tree, a lookup inside it): the node's class is swapped for a
subclass whose `body` builds the statements with astroid's rebuilder and transforms, as
the module's build would have, then swaps the class back.

A body is left for later only when building it has no effect outside it: no `global`
or `nonlocal` (astroid then binds names in an outer scope), no attribute assigned (astroid
records `self.x = ...` on the class while building). Walks and lookups that reach a body
build it, so every answer is the one the whole module gives.
"""

from __future__ import annotations

import ast
import os
from typing import Any

from astroid import nodes
from astroid.builder import AstroidBuilder
from astroid.rebuilder import TreeRebuilder

from ..index.defs import overload
from ..syntax import walk
from .base import MANAGER

PENDING = "_async_tests_pending"  # attribute of a node whose body is left for later
built = 0  # bodies built so far in this process (infer.py tells a question that built one)


def deferrable(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """May this function's body be built later, with the same result? Not when it
    declares a name global or nonlocal, or assigns an attribute (a statement's target,
    or a comprehension's)."""
    body = func.body
    if len(body) < 2 and not isinstance(body[0], _WORTH_DEFERRING):
        return False  # one simple statement (a docstring alone too): cheaper to build now
    return not any(isinstance(node, (ast.Global, ast.Nonlocal)) or (
        isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load))
        for node in walk(body))


_WORTH_DEFERRING = (ast.Return, ast.If, ast.With, ast.Try, ast.For, ast.While)


class LazyRebuilder(TreeRebuilder):
    """astroid's rebuilder, leaving deferrable function bodies of a module read from a
    file for later (`pending`; modules astroid makes from text are built whole)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = False
        self.pending: list[tuple[nodes.FunctionDef, list[ast.stmt]]] = []

    def visit_module(self, node, modname, modpath, package):  # type: ignore[no-untyped-def]
        self.lazy = isinstance(modpath, str) and os.path.isabs(modpath)
        if self.lazy:
            _drop_overloads(node.body)
        return super().visit_module(node, modname, modpath, package)

    def _visit_functiondef(self, cls, node, parent):  # type: ignore[no-untyped-def, override]
        if not (self.lazy and node.body and deferrable(node)):
            return super()._visit_functiondef(cls, node, parent)
        body = node.body
        doc = 1 if _docstring(body[0]) else 0  # (deferrable: a statement follows it)
        node.body = [*body[:doc], ast.copy_location(ast.Pass(), body[doc])]
        try:
            made = super()._visit_functiondef(cls, node, parent)
        finally:
            node.body = body
        self.pending.append((made, body[doc:]))
        return made


def _drop_overloads(body: list[ast.stmt]) -> None:
    """Leave out the `typing.overload` stubs of a module's body and of its classes' (at
    any depth) that a later def of the same body replaces, as it does at run time: astroid
    infers that def alone, and building the stubs cost it half of redis's command module.
    A stub with no def after it (a stub file, a `TYPE_CHECKING` block) stays."""
    replaced: set[str] = set()  # names a plain def binds later in this body
    kept: list[ast.stmt] = []
    for stmt in reversed(body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if overload(stmt):
                if stmt.name in replaced:
                    continue
            else:
                replaced.add(stmt.name)
        elif isinstance(stmt, ast.ClassDef):
            _drop_overloads(stmt.body)
        kept.append(stmt)
    if len(kept) != len(body):
        body[:] = reversed(kept)


def _docstring(stmt: ast.stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str))


class _LazyBody:
    """The `body` of a function whose statements are built on first use."""

    @property
    def body(self) -> list[nodes.NodeNG]:
        materialize(self)  # type: ignore[arg-type]
        return self.__dict__["body"]

    @body.setter
    def body(self, value: list[nodes.NodeNG]) -> None:
        self.__dict__["body"] = value


class LazyFunctionDef(_LazyBody, nodes.FunctionDef):
    pass


class LazyAsyncFunctionDef(_LazyBody, nodes.AsyncFunctionDef):
    pass


# Named as astroid's, for anything dispatching on a node's class name.
for _lazy, _real in ((LazyFunctionDef, nodes.FunctionDef),
                     (LazyAsyncFunctionDef, nodes.AsyncFunctionDef)):
    _lazy.__name__ = _lazy.__qualname__ = _real.__name__
_LAZY = {nodes.FunctionDef: LazyFunctionDef, nodes.AsyncFunctionDef: LazyAsyncFunctionDef}
_REAL = {LazyFunctionDef: nodes.FunctionDef, LazyAsyncFunctionDef: nodes.AsyncFunctionDef}


def defer(pending: list[tuple[nodes.FunctionDef, list[ast.stmt]]],
          rebuilder: LazyRebuilder) -> None:
    """After the transforms of what holds them (astroid's for functions change a node in
    place): these functions' bodies are built on first use."""
    for func, stmts in pending:
        lazy = _LAZY.get(type(func))
        if lazy is not None:
            func.__dict__[PENDING] = (rebuilder, stmts)
            func.__class__ = lazy


def materialize(func: nodes.FunctionDef) -> None:
    """Build the statements of a function's body, in place of its stub, as the module's
    build would have: the rebuilder's visit with the function as parent, from-imports
    added to its locals, then astroid's transforms on the new statements. A build that
    fails (an expression nested too deep for the rebuilder) leaves the function waiting
    as it was and reaches the question that needed the body, whose answer is unknown
    (built whole, the module would not have built at all: every question about it
    unknown)."""
    global built
    pending = func.__dict__.pop(PENDING, None)
    waiting = type(func)
    func.__class__ = _REAL.get(waiting, waiting)
    if pending is None:
        return
    rebuilder, stmts = pending
    outer = rebuilder._import_from_nodes, rebuilder._delayed_assattr, rebuilder.pending
    rebuilder._import_from_nodes, rebuilder._delayed_assattr, rebuilder.pending = [], [], []
    bound = {name: list(found) for name, found in func.locals.items()}
    rebuilder._global_names.append({})
    try:
        statements = [rebuilder.visit(stmt, func) for stmt in stmts]
    except BaseException:
        func.locals.clear()
        func.locals.update(bound)
        func.__dict__[PENDING] = pending
        func.__class__ = waiting
        raise
    finally:
        rebuilder._global_names.pop()
        imported, assigned, later = (rebuilder._import_from_nodes,
                                     rebuilder._delayed_assattr, rebuilder.pending)
        rebuilder._import_from_nodes, rebuilder._delayed_assattr, rebuilder.pending = outer
    func.__dict__["body"] = statements
    built += 1
    builder = AstroidBuilder(MANAGER)
    for item in imported:  # (node, names) since astroid 4, else the node
        builder.add_from_names_to_locals(*(item if isinstance(item, tuple) else (item,)))
    for node in assigned:  # (none: a body that assigns an attribute is built at once)
        builder.delayed_assattr(node)
    for at, stmt in enumerate(statements):
        transformed = MANAGER.visit_transforms(stmt)
        if transformed is not stmt and isinstance(transformed, nodes.NodeNG):
            statements[at] = transformed
    defer(later, rebuilder)
