"""One walk over a file's `ast` tree, shared by every rule family.

Walking the tree is most of what the rules cost before any inference, so each file
is walked once: rules then ask for the nodes of a type, or of one scope.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
# Expressions whose value is a literal: never awaitable, never a coroutine.
LITERALS = (ast.List, ast.Dict, ast.Set, ast.Tuple, ast.Constant, ast.JoinedStr, ast.ListComp,
            ast.DictComp, ast.SetComp)
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
# Fields that never hold nodes a rule looks at (names, flags, contexts, operators).
_SCALAR_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "name", "module", "level", "kind", "conversion",
    "is_async", "type_comment", "asname", "simple", "type_ignores", "tag",
})
# A parameter's annotation belongs to its function's header (see _split), not to the body.
_fields: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.arg: ()}


_node_fields: dict[type, tuple[str, ...]] = {}


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """ast.iter_child_nodes(node), as a list, without its generators (a third of the
    time), reading only the fields that may hold nodes."""
    kind = type(node)
    fields = _node_fields.get(kind)
    if fields is None:
        fields = _node_fields[kind] = tuple(f for f in kind._fields if f not in _SCALAR_FIELDS)
    found: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if value.__class__ is list:
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


def _child_fields(kind: type) -> tuple[str, ...]:
    found = _fields.get(kind)
    if found is None:
        found = _fields[kind] = tuple(f for f in kind._fields if f not in _SCALAR_FIELDS)
    return found


def walk(roots: list[ast.AST]) -> Iterator[ast.AST]:
    """The roots and every node under them, by the fields Syntax follows (no names, flags,
    contexts or operators; not the annotations of parameters, which _split puts in a
    scope's header)."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        for name in _child_fields(type(node)):
            value = getattr(node, name, None)
            if value.__class__ is list:
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)


def _split(node: ast.AST) -> tuple[list[ast.AST], list[ast.AST]]:
    """(header, body) of a scope node: the header is evaluated in the enclosing scope
    (decorators, defaults, annotations, bases), the body in the node's own scope."""
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *node.keywords], list(node.body)
    args = node.args  # type: ignore[union-attr]
    header: list[ast.AST] = list(args.defaults)
    header.extend(d for d in args.kw_defaults if d is not None)
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every.extend(a for a in (args.vararg, args.kwarg) if a is not None)
    if isinstance(node, ast.Lambda):
        return header, [*every, node.body]
    header = [*node.decorator_list, *header]  # type: ignore[union-attr]
    header.extend(a.annotation for a in every if a.annotation is not None)
    if node.returns is not None:  # type: ignore[union-attr]
        header.append(node.returns)  # type: ignore[union-attr]
    return header, [*every, *node.body]  # type: ignore[union-attr]


def header(node: ast.AST) -> list[ast.AST]:
    """The nodes of a scope node's header (decorators, defaults, annotations, bases)."""
    return _split(node)[0]


class Syntax:
    """The nodes of one tree, by type and by scope."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self._by_type: dict[type, list[ast.AST]] = defaultdict(list)
        self._own: dict[int, list[ast.AST]] = {}
        self._enclosing: dict[int, ScopeNode] = {}  # scope node -> the scope it is in
        self._header: set[int] = set()  # nodes in the header of a nested scope
        self._bodies: dict[int, list[ast.AST]] = {}  # scope_nodes(headers=False) results
        # scope -> the scopes defined in it directly, in the order of the walk
        self._children: dict[int, list[ScopeNode]] = defaultdict(list)
        self.scopes: list[ScopeNode] = []  # the module first, then each nested scope
        pending: list[tuple[ScopeNode, list[ast.AST]]] = [(tree, list(tree.body))]
        while pending:
            scope, roots = pending.pop()
            self.scopes.append(scope)
            own = self._own[id(scope)] = []
            self._walk(roots, own, pending, scope, header=False)
        self.size = sum(len(found) for found in self._by_type.values())  # nodes indexed

    def _walk(self, roots: list[ast.AST], own: list[ast.AST],
              pending: list[tuple[ScopeNode, list[ast.AST]]], scope: ScopeNode,
              header: bool) -> None:
        by_type = self._by_type
        stack = roots[::-1]
        while stack:
            node = stack.pop()
            kind = type(node)
            own.append(node)
            by_type[kind].append(node)
            if header:
                self._header.add(id(node))
            if kind in _SCOPE_TYPES:
                self._children[id(scope)].append(node)  # type: ignore[arg-type]
                head, body = _split(node)
                pending.append((node, body))  # type: ignore[arg-type]
                self._enclosing[id(node)] = scope
                self._walk(head, own, pending, scope, header=True)
                continue
            for name in _child_fields(kind):
                value = getattr(node, name, None)
                if value.__class__ is list:
                    for item in reversed(value):
                        if isinstance(item, ast.AST):
                            stack.append(item)
                elif isinstance(value, ast.AST):
                    stack.append(value)

    def of_type(self, *types: type) -> list[ast.AST]:
        """Nodes of these exact types (grouped by type)."""
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return [n for kind in types for n in self._by_type.get(kind, [])]

    def enclosing(self, scope: ScopeNode) -> ScopeNode | None:
        """The scope a nested scope node is defined in (None for the module)."""
        return self._enclosing.get(id(scope))

    def scope_nodes(self, scope: ScopeNode, headers: bool = True) -> list[ast.AST]:
        """The nodes evaluated in `scope`, not entering nested functions, classes and
        lambdas (whose own nodes are included). headers=False also leaves out the
        decorators, defaults and bases of those nested scopes."""
        own = self._own.get(id(scope), [])
        if headers:
            return own
        found = self._bodies.get(id(scope))
        if found is None:  # kept: several rules ask for the same scope
            found = self._bodies[id(scope)] = [n for n in own if id(n) not in self._header]
        return found

    def in_header(self, node: ast.AST) -> bool:
        """Is the node in the header of a nested scope (decorators, defaults, annotations,
        bases), evaluated in the scope that holds it?"""
        return id(node) in self._header

    def nested(self, scope: ScopeNode) -> list[ScopeNode]:
        """The scopes defined in `scope`, at any depth (each before those it defines)."""
        found: list[ScopeNode] = []
        stack = list(self.children(scope))
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(self.children(node))
        return found

    def children(self, scope: ScopeNode) -> list[ScopeNode]:
        """The scopes defined in `scope` itself (not in a scope inside it), in the order
        `scope_nodes` hands them out."""
        return self._children.get(id(scope), [])

    def is_async_generator(self, func: ast.AST) -> bool:
        """An async def whose own body yields (calling it makes no coroutine)."""
        return isinstance(func, ast.AsyncFunctionDef) and any(
            isinstance(node, (ast.Yield, ast.YieldFrom))
            for node in self.scope_nodes(func, headers=False))

    def within(self, node: ast.AST, *types: type) -> list[ast.AST]:
        """Nodes of the given types inside `node`'s source lines."""
        start = node.lineno  # type: ignore[attr-defined]
        end = node.end_lineno or start  # type: ignore[attr-defined]
        return [n for n in self.of_type(*types)
                if start <= n.lineno <= end]  # type: ignore[attr-defined]


_SCOPE_TYPES = frozenset(SCOPES)
_others: dict[int, Syntax] = {}


def parameters(func: FunctionNode | ast.Lambda, starred: bool = False) -> list[str]:
    """A function's parameter names (positional-only, plain, keyword-only), in order; with
    `starred`, *args and **kwargs too."""
    args = func.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if starred:
        names.extend(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    return names


def of_tree(tree: ast.Module) -> Syntax:
    """The index of another file's tree (a conftest.py), kept for the run."""
    found = _others.get(id(tree))
    if found is None or found.tree is not tree:
        if len(_others) > 256:
            _others.clear()
        found = _others[id(tree)] = Syntax(tree)
    return found


def source_words(node: ast.AST, index: Syntax | None = None) -> str:
    """Names, attributes, strings and imported modules of a subtree (or of an index's whole
    tree), lower-cased: a cheap view of what code refers to."""
    words = []
    found = ast.walk(node) if index is None else index.of_type(*WORD_NODES)
    for sub in found:
        if isinstance(sub, ast.Name):
            words.append(sub.id)
        elif isinstance(sub, ast.Attribute):
            words.append(sub.attr)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            words.append(sub.value)
        elif isinstance(sub, (ast.alias,)):
            words.append(sub.name)
        elif isinstance(sub, (ast.AsyncFunctionDef, ast.Await)):
            words.append("async")
        elif isinstance(sub, ast.ImportFrom) and sub.module:
            words.append(sub.module)
    return " ".join(words).lower()


WORD_NODES = (ast.Name, ast.Attribute, ast.Constant, ast.alias, ast.AsyncFunctionDef,
              ast.Await, ast.ImportFrom)


def assigned(node: ast.AST) -> list[ast.expr]:
    """What a statement assigns to or deletes: `x = `, `x += `, `x: T = `, `del x`."""
    if isinstance(node, (ast.Assign, ast.Delete)):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    return []
