"""Building astroid trees: the linted file from flake8's `ast` tree, other modules lean
(without the two eager inferences astroid does while building), once-per-process warm-up."""

from __future__ import annotations

import ast
import contextlib
import importlib
import os
import time
from collections.abc import Iterator, Sequence

from astroid import nodes, rebuilder as astroid_rebuilder
from astroid.builder import AstroidBuilder
from astroid.context import InferenceContext
from astroid.rebuilder import TreeRebuilder

from . import lazy, session
from ..syntax import FunctionNode
from .base import ERRORS, LOG, MANAGER, own
from .functions import decorator_names


_warmed = False


def warm_up(budget: session.Budget | None = None) -> None:
    """Build astroid's `builtins`, which every question needs, once per process and only
    once a file needs astroid at all, outside that file's budget, so that the first file's
    budget is no smaller than the others'. Other modules (`unittest.case` takes longer
    still) are built by the question that needs them, within its file's budget as for any
    later file."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    started = time.process_time()
    try:
        _build_common()
    finally:
        if budget is not None:
            budget.deadline += time.process_time() - started


def _build_common() -> None:
    with lean_builds():
        try:
            if "builtins" not in MANAGER.astroid_cache:
                # astroid's own start builds and caches `builtins`; asking for the module
                # by name first would build it a second time, only to return that copy once
                MANAGER.bootstrap()
            if "builtins" not in MANAGER.astroid_cache:
                MANAGER.ast_from_module_name("builtins")
        except ERRORS as exc:
            own(exc)
            LOG.info("flake8-async-tests: astroid cannot build builtins: %s", exc)


@contextlib.contextmanager
def lean_builds() -> Iterator[None]:
    """While the plugin analyses, astroid builds modules without eager inferences whose
    answer is known.

    Building a module, astroid infers the object of every `x.attr = value` (to register
    the attribute), the ancestors of every class with bases (to see whether it is an
    Enum), and every class decorator (to see whether it is attrs' or dataclasses'). Each
    builds every module it reaches, which does the same in turn: most of the cost of a
    module, for facts no rule uses. Here attributes are registered as _register_attribute
    does, only classes with a base spelled like an enum are checked, and a class whose
    every decorator is a pytest mark is neither attrs' nor dataclasses' (inferring
    `pytest.mark.x` builds pytest and most of _pytest). All are restored afterwards, for
    any other user of astroid.
    """
    original = (AstroidBuilder.delayed_assattr, AstroidBuilder._post_build,
                astroid_rebuilder.TreeRebuilder)  # (as found: lean_builds may be nested)
    AstroidBuilder.delayed_assattr = _delayed_assattr  # type: ignore[method-assign]
    AstroidBuilder._post_build = _post_build  # type: ignore[method-assign]
    astroid_rebuilder.TreeRebuilder = lazy.LazyRebuilder  # type: ignore[misc]
    slots = [(slot, wrap) for slot, wrap in (
        (_transform_slot("brain_namedtuple_enum", "infer_enum_class", "_is_enum_subclass"),
         _enum_spelled),
        (_transform_slot("brain_attrs", "attr_attributes_transform", "is_decorated_with_attrs"),
         _unless_marked),
        (_transform_slot("brain_dataclasses", "dataclass_transform",
                         "is_decorated_with_dataclass"), _unless_marked),
    ) if slot is not None]
    for (entries, at, (transform, predicate)), wrap in slots:
        entries[at] = (transform, wrap(predicate))
    try:
        yield
    finally:
        (AstroidBuilder.delayed_assattr, AstroidBuilder._post_build,  # type: ignore
         astroid_rebuilder.TreeRebuilder) = original
        for (entries, at, entry), _ in slots:
            entries[at] = entry


def _delayed_assattr(builder: AstroidBuilder, node: nodes.AssignAttr) -> None:
    _register_attribute(node)


_astroid_post_build = AstroidBuilder._post_build


def _post_build(builder: AstroidBuilder, module: nodes.Module, rebuilder, encoding):  # type: ignore
    """astroid's, then the bodies a LazyRebuilder left are built on first use."""
    module = _astroid_post_build(builder, module, rebuilder, encoding)
    if isinstance(rebuilder, lazy.LazyRebuilder):
        pending, rebuilder.pending = rebuilder.pending, []
        lazy.defer(pending, rebuilder)
    return module


def _transform_slot(brain: str, transform: str,
                    predicate: str) -> tuple[list, int, tuple] | None:
    """Where astroid keeps one of its ClassDef transforms, if it is where astroid 3 and 4
    keep it."""
    try:
        module = importlib.import_module(f"astroid.brain.{brain}")
        wanted = (getattr(module, transform), getattr(module, predicate))
        entries = MANAGER._transform.transforms[nodes.ClassDef]
        for at, entry in enumerate(entries):
            if tuple(entry) == wanted:
                return entries, at, entry
    except (ImportError, AttributeError, KeyError, TypeError, ValueError):
        pass
    return None


def _enum_spelled(predicate):  # type: ignore[no-untyped-def]
    def maybe_enum(cls: nodes.ClassDef) -> bool:
        for base in cls.bases:
            name = getattr(base, "attrname", None) or getattr(base, "name", None) or ""
            if "Enum" in name or "Flag" in name:
                return bool(predicate(cls))
        return False

    return maybe_enum


def _unless_marked(predicate):  # type: ignore[no-untyped-def]
    def maybe_decorated(cls: nodes.ClassDef) -> bool:
        if cls.decorators is not None and all(_pytest_mark(d) for d in cls.decorators.nodes):
            return False
        return bool(predicate(cls))

    return maybe_decorated


def _pytest_mark(decorator: nodes.NodeNG) -> bool:
    """`@pytest.mark.x`, `@pytest.mark.x(...)`, `@mark.x` where the name is bound only by
    `import pytest` or `from pytest import mark` (astroid's lookup, no inference)."""
    if isinstance(decorator, nodes.Call):
        decorator = decorator.func
    names: list[str] = []
    while isinstance(decorator, nodes.Attribute):
        names.append(decorator.attrname)
        decorator = decorator.expr
    if not isinstance(decorator, nodes.Name) or len(names) not in (1, 2):
        return False
    spelled = [decorator.name, *reversed(names)]
    try:
        _, assigned = decorator.lookup(decorator.name)
    except ERRORS as exc:
        own(exc)
        return False
    return bool(assigned) and all(
        (isinstance(node, nodes.Import) and len(spelled) == 3 and spelled[1] == "mark"
         and any(name == "pytest" and (alias or name) == spelled[0]
                 for name, alias in node.names))
        or (isinstance(node, nodes.ImportFrom) and node.modname == "pytest" and not node.level
            and len(spelled) == 2
            and any(name == "mark" and (alias or name) == spelled[0]
                    for name, alias in node.names))
        for node in assigned)


class _Rebuilder(TreeRebuilder):
    """astroid's rebuilder, made to leave the `ast` tree it reads as it found it.

    astroid drops docstrings from node bodies in place; flake8 hands the same tree to
    every plugin, so the bodies are put back after the rebuild.
    """

    def __init__(self) -> None:
        super().__init__(MANAGER)  # no source text: no token positions (pylint-only)
        self.shortened: list[tuple[ast.AST, list[ast.stmt]]] = []
        self.made: dict[int, nodes.NodeNG] = {}  # id of an `ast` node -> its astroid node

    def visit(self, node, parent):  # type: ignore[no-untyped-def, override]
        made = super().visit(node, parent)
        self.made[id(node)] = made
        return made

    def _get_doc(self, node):  # type: ignore[no-untyped-def]
        body = node.body
        result = super()._get_doc(node)
        if node.body is not body:
            self.shortened.append((node, body))
        return result


class Built:
    """The astroid tree of the linted file, which astroid node each `ast` node (by id)
    became, and the functions whose bodies are not built yet (id -> the `ast` def and the
    astroid stub standing for it: its header, and `pass` for a body)."""

    def __init__(self, module: nodes.Module, made: dict[int, nodes.NodeNG],
                 pending: dict[int, tuple[FunctionNode, nodes.FunctionDef]]) -> None:
        self.module = module
        self.made = made
        self.pending = pending


def build_module(tree: ast.Module, path: str, modname: str,
                 later: Sequence[FunctionNode] = ()) -> Built | None:
    """The astroid tree of the linted file, rebuilt from the `ast` tree flake8 parsed.

    As astroid's own builder does, with attributes registered as _register_attribute does.
    The bodies of the functions `later` names (which nothing else in the file can reach:
    see FileContext.build_later) are built when a node in them is first asked for
    (`build_body`); most questions are about a few functions of a test module.
    """
    warm_up(session.current())
    rebuilder = _Rebuilder()
    bodies = [(func, func.body) for func in later if func.body]
    stubs = [ast.copy_location(ast.Pass(), body[0]) for _, body in bodies]
    try:
        try:
            for (func, _), stub in zip(bodies, stubs):
                func.body = [stub]
            package = os.path.basename(path) == "__init__.py"
            module = rebuilder.visit_module(tree, modname, path, package)
        finally:
            for node, body in rebuilder.shortened:
                node.body = body  # type: ignore[attr-defined]
            for func, body in bodies:
                func.body = body
        # Caches the module, adds from-imported names, registers attributes (through
        # lean_builds, active during analysis) and applies the transforms.
        module = AstroidBuilder(MANAGER)._post_build(module, rebuilder, "utf-8")
        for stub in stubs:  # (not nodes of the linted tree: their ids may be reused)
            rebuilder.made.pop(id(stub), None)
        pending = {id(func): (func, rebuilder.made[id(func)]) for func, _ in bodies}
        return Built(module, rebuilder.made, pending)  # type: ignore[arg-type]
    except ERRORS as exc:
        own(exc)
        LOG.info("flake8-async-tests: astroid cannot build %s: %s", path, exc)
        return None
    finally:
        _discard(rebuilder)


def build_body(built: Built, func: FunctionNode) -> None:
    """Build a function whose body was left for later, in place of its stub, as it would
    have been built with the module."""
    func, stub = built.pending.pop(id(func))
    parent = stub.parent
    if _at(parent.body, stub) is None or _at(parent.locals.get(func.name, []), stub) is None:
        LOG.info("flake8-async-tests: %s was replaced while built, left unbuilt", func.name)
        return  # (a transform replaced the stub: its nodes stay unknown)
    rebuilder = _Rebuilder()
    try:
        try:
            made = rebuilder.visit(func, parent)
        finally:
            for node, body in rebuilder.shortened:
                node.body = body  # type: ignore[attr-defined]
        parent.locals[func.name].pop()  # (visiting added it; it takes the stub's place)
        _replace(parent, stub, made)
        builder = AstroidBuilder(MANAGER)
        for from_node, global_names in rebuilder._import_from_nodes:
            builder.add_from_names_to_locals(from_node, global_names)
        for delayed in rebuilder._delayed_assattr:
            builder.delayed_assattr(delayed)
        transformed = MANAGER.visit_transforms(made)
        if transformed is not made and isinstance(transformed, nodes.NodeNG):
            _replace(parent, made, transformed)
            rebuilder.made[id(func)] = transformed
        built.made.update(rebuilder.made)
    except ERRORS as exc:
        own(exc)
        LOG.info("flake8-async-tests: astroid cannot build %s: %s", func.name, exc)
    finally:
        _discard(rebuilder)


def _discard(rebuilder: _Rebuilder) -> None:
    """Let go of what a rebuilder of the linted file holds (its nodes, the `ast` nodes it
    shortened): astroid's rebuilder keeps its own bound methods, a cycle that would keep
    them all until the cyclic collector runs."""
    vars(rebuilder).clear()


def _at(found: list[nodes.NodeNG], node: nodes.NodeNG) -> int | None:
    return next((at for at, other in enumerate(found) if other is node), None)


def _replace(parent: nodes.NodeNG, old: nodes.NodeNG, new: nodes.NodeNG) -> None:
    """Put `new` where `old` is in its parent's body and locals (where it is)."""
    for found in (parent.body, parent.locals.get(new.name, [])):  # type: ignore[attr-defined]
        at = _at(found, old)
        if at is not None:
            found[at] = new


def _register_attribute(assattr: nodes.AssignAttr) -> None:
    """`self.x = v` in a method makes x an instance attribute, `cls.x = v` in a class
    method a class attribute: what astroid concludes after inferring `self` or `cls`.
    Attributes set on other objects are not registered."""
    expr = assattr.expr
    if not isinstance(expr, nodes.Name) or expr.name not in ("self", "cls"):
        return
    func = assattr.frame()
    if not isinstance(func, nodes.FunctionDef) or not isinstance(func.parent, nodes.ClassDef):
        return
    positional = [*(func.args.posonlyargs or ()), *(func.args.args or ())]
    if not positional or positional[0].name != expr.name or len(func.locals[expr.name]) != 1:
        return
    kind = "method"
    for name in decorator_names(func):
        if name in ("builtins.staticmethod", "builtins.classmethod"):
            kind = name.rsplit(".", 1)[1]
        elif name != "abc.abstractmethod":
            return  # a decorator of unknown effect: leave it alone
    cls = func.parent
    if kind == "method" and expr.name == "self":
        values = cls.instance_attrs.setdefault(assattr.attrname, [])
    elif kind == "classmethod" and expr.name == "cls":
        values = cls.locals.setdefault(assattr.attrname, [])
    else:
        return
    if assattr not in values:
        values.append(assattr)


def forget_module(module: nodes.Module) -> None:
    """Drop the linted module from astroid's caches (other modules stay cached).

    astroid's inference cache holds each question asked, keyed by node: the linted
    module's questions would keep every linted module alive for the whole run.
    """
    if MANAGER.astroid_cache.get(module.name) is module:
        del MANAGER.astroid_cache[module.name]
    cache = InferenceContext().inferred
    stale = [key for key in cache if _root_of(key[0]) is module]
    for key in stale:
        del cache[key]


def _root_of(node: nodes.NodeNG) -> nodes.NodeNG | None:
    try:
        return node.root()
    except ERRORS as exc:
        own(exc)
        return None


def node_in_file(path: str, modname: str, lineno: int, col: int, kind: str) -> nodes.NodeNG | None:
    """The node of kind `kind` at (lineno, col) in another file of the project (a conftest.py)."""
    if not session.allows():
        return None
    try:
        module = MANAGER.ast_from_file(path, modname, source=True)
        for node in module.nodes_of_class(nodes.NodeNG):
            if (type(node).__name__ == kind and node.lineno == lineno
                    and node.col_offset == col):
                return node
    except ERRORS as exc:
        own(exc)
        return None
    return None


def forget_warm_up() -> None:
    """After astroid's cache is cleared, the common modules must be built again."""
    global _warmed
    _warmed = False
