"""Classes: their ancestry, whether all their attributes are visible in source, and
what a class or module certainly has (present, missing or unknown)."""

from __future__ import annotations

import astroid
from astroid import nodes, util
from astroid.context import InferenceContext

from ..index import resolver
from . import session
from .base import ERRORS, own
from .infer import same, safe_infer
from .names import (
    is_stdlib, module_by_name, module_file, module_opening, qname,
)


def _class_key(cls: nodes.ClassDef) -> str:
    return cls.qname() + "@" + str(cls.root().file)


def class_mro(cls: nodes.ClassDef, limit: int = 60) -> list[nodes.ClassDef] | None:
    """`cls` and all its ancestors, or None if any base cannot be inferred to one class, or
    the bases form a cycle (which Python cannot build, e.g. across circular imports)."""
    seen: dict[str, nodes.ClassDef] = {}
    bases_of: dict[str, list[str]] = {}
    order: list[nodes.ClassDef] = []
    stack = [cls]
    while stack:
        current = stack.pop()
        key = _class_key(current)
        if key in seen:
            continue
        seen[key] = current
        order.append(current)
        if len(order) > limit:
            return None
        bases_of[key] = []
        for base in current.bases:
            value = safe_infer(base)
            if isinstance(value, nodes.ClassDef):
                stack.append(value)
                bases_of[key].append(_class_key(value))
            else:
                return None  # unknown base: the caller must stay silent
    return None if _has_cycle(bases_of) else order


def _has_cycle(edges: dict[str, list[str]]) -> bool:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if start in state:
            continue
        state[start] = 1
        path = [(start, iter(edges[start]))]
        while path:
            node, rest = path[-1]
            child = next(rest, None)
            if child is None:
                state[node] = 2
                path.pop()
            elif state.get(child) == 1:
                return True
            elif child not in state:
                state[child] = 1
                path.append((child, iter(edges.get(child, ()))))
    return False


PLAIN_METACLASSES = frozenset({"builtins.type", "abc.ABCMeta"})


def rewrites_subclasses(cls: nodes.ClassDef) -> bool:
    """A custom metaclass or __init_subclass__ may wrap the methods of every subclass.

    The standard library's classes are known not to.
    """
    if is_stdlib(cls):
        return False
    if "__init_subclass__" in cls.locals:
        return True
    try:
        meta = cls.declared_metaclass()
    except ERRORS as exc:
        own(exc)
        return True
    return meta is not None and qname(meta) not in PLAIN_METACLASSES


def class_is_closed(cls: nodes.ClassDef) -> list[nodes.ClassDef] | None:
    """The MRO of a class whose attributes are all visible in source, or None."""
    return class_opening(cls)[0]


def class_opening(cls: nodes.ClassDef) -> tuple[list[nodes.ClassDef] | None, str]:
    """(the MRO, "") of a class whose own attributes (those of the class object, as
    `getattr(cls, name)`, `dir(cls)` and a patch of the class see them) are all visible in
    source, else (None, why not). A `__getattr__` or `__getattribute__` of its body acts
    on instances only: see `_instance_hook`."""
    unknown_base = f"not every base of {cls.name} can be inferred"
    mro = class_mro(cls)
    if mro is None:
        return None, unknown_base
    try:
        ordered = cls.mro()
    except ERRORS as exc:
        own(exc)
        return None, f"astroid cannot order the bases of {cls.name}"
    for klass in ordered:
        if not isinstance(klass, nodes.ClassDef):
            return None, unknown_base
        name = qname(klass) or klass.name
        if name == "builtins.object":
            continue
        if name.split(".")[0] == "builtins" or not str(klass.root().file or "").endswith(".py"):
            # built from a compiled module: its attributes are not all visible
            return None, f"{name} is compiled code"
        try:
            meta = klass.declared_metaclass()
        except ERRORS as exc:
            own(exc)
            return None, f"astroid cannot read the metaclass of {klass.name}"
        if meta is not None and qname(meta) not in PLAIN_METACLASSES:
            return None, f"{klass.name} has the metaclass {qname(meta) or meta.name}"
        if klass.decorators is not None and klass.decorators.nodes:
            return None, f"{klass.name} has a class decorator"
        if slot_names(klass) is None:
            return None, f"{klass.name} defines __slots__ that cannot be read"
    return ordered, ""


def slot_names(klass: nodes.ClassDef) -> frozenset[str] | None:
    """The names the class's own `__slots__` gives its instances (each is an attribute of
    the class too: a member descriptor), read from its one plain assignment of a string,
    or of a tuple, list, set or dict of strings; empty without `__slots__`; None when
    the value is computed or bound another way."""
    found = klass.locals.get("__slots__")
    if not found:
        return frozenset()
    target = found[0]
    assign = target.parent
    if (len(found) != 1 or not isinstance(target, nodes.AssignName)
            or not isinstance(assign, nodes.Assign) or assign.parent is not klass
            or len(assign.targets) != 1):
        return None
    value = assign.value
    items = ([value] if isinstance(value, nodes.Const)
             else value.elts if isinstance(value, (nodes.Tuple, nodes.List, nodes.Set))
             else [key for key, _ in value.items] if isinstance(value, nodes.Dict) else None)
    if items is None or not all(isinstance(item, nodes.Const) and isinstance(item.value, str)
                                for item in items):
        return None
    return frozenset(item.value for item in items)


def _instance_hook(ordered: list[nodes.ClassDef], hook: str) -> str:
    """The class of an MRO whose body defines `hook` (`__getattr__`, `__getattribute__`),
    which makes up attributes of its instances; "" for none (object's own is not one)."""
    for klass in ordered:
        if hook in klass.locals and qname(klass) != "builtins.object":
            return klass.name
    return ""


def _bare_annotations(klass: nodes.ClassDef) -> set[str]:
    """Names the class body only annotates (`x: int`), which sets no attribute."""
    return {node.target.name for node in klass.body
            if isinstance(node, nodes.AnnAssign) and node.value is None
            and isinstance(node.target, nodes.AssignName)}


def member(owner: nodes.NodeNG, name: str, want_value: bool = True,
           on_instance: bool = False) -> tuple[str, nodes.NodeNG | None]:
    """('present', value or None) / ('missing', None) / ('unknown', None) for owner.name.

    owner is a module or a class; with `on_instance`, the question is about an instance
    of the class (whose `__getattr__` may make up any missing name, and whose
    `__getattribute__` any name at all). A value is given only when it is one certain
    definition (and only if wanted: finding it may mean building the module an import
    names).
    """
    status, value, _ = _member(owner, name, want_value, on_instance)
    return status, value


def member_opening(owner: nodes.NodeNG, name: str, on_instance: bool = False) -> str:
    """Why member(owner, name) is 'unknown', for --async-tests-explain."""
    return _member(owner, name, False, on_instance)[2]


def _member(owner: nodes.NodeNG, name: str, want_value: bool,
            on_instance: bool) -> tuple[str, nodes.NodeNG | None, str]:
    """member's (status, value), and why the status is 'unknown' ("" otherwise)."""
    if not session.allows():
        return "unknown", None, "the file's inference budget is used up"
    unread = f"astroid cannot read {getattr(owner, 'name', 'it')}"
    try:
        if isinstance(owner, nodes.Module):
            if name in owner.locals:
                if not want_value:
                    return "present", None, ""
                return "present", _single(owner, name, owner.locals[name]), ""
            if owner.package and module_by_name(f"{owner.name}.{name}") is not None:
                return "present", None, ""
            if not str(owner.file or "").endswith(".py"):
                return "unknown", None, f"module {owner.name} is compiled code"
            why = module_opening(owner)
            return ("unknown", None, why) if why else ("missing", None, "")
        if isinstance(owner, nodes.ClassDef):
            ordered, why = class_opening(owner)
            if ordered is None:
                return "unknown", None, why
            hook = on_instance and _instance_hook(ordered, "__getattribute__")
            if hook:
                return "unknown", None, f"{hook} defines __getattribute__"
            for klass in ordered:
                if name in klass.locals:
                    if name in _bare_annotations(klass):
                        return ("unknown", None,
                                f"{klass.name}.{name} is only annotated in its class body")
                    if not want_value:
                        return "present", None, ""
                    return "present", _single(klass, name, klass.locals[name]), ""
                if name in slot_names(klass):  # type: ignore[operator]  # (read: closed)
                    return "present", None, ""  # (a member descriptor)
            hook = on_instance and _instance_hook(ordered, "__getattr__")
            if hook:
                return "unknown", None, f"{hook} defines __getattr__"
            return "missing", None, ""
    except ERRORS as exc:
        own(exc)
        return "unknown", None, unread
    return "unknown", None, unread


def _single(owner: nodes.NodeNG, name: str, definitions: list[nodes.NodeNG]) -> nodes.NodeNG | None:
    """The value behind a name's only definition (functions, classes, imports), or None.
    Of several in a module, the def or class that binds it last, unconditionally, at the
    top level, when nothing may bind it again (`class socket(_socket.socket)` after `from
    _socket import *`)."""
    if len(definitions) != 1:
        return _last_top_level(owner, definitions) if isinstance(owner, nodes.Module) else None
    node = definitions[0]
    if isinstance(node, (nodes.FunctionDef, nodes.ClassDef)):
        return node
    if not isinstance(node, (nodes.AssignName, nodes.Import, nodes.ImportFrom)):
        return None
    context = InferenceContext()
    try:
        values = list(owner.igetattr(name, context=context))
    except ERRORS as exc:
        own(exc)
        return None
    if not values or any(isinstance(v, util.UninferableBase) for v in values):
        return None
    first = values[0]
    return first if all(same(first, v) for v in values[1:]) else None


def _last_top_level(module: nodes.Module,
                    definitions: list[nodes.NodeNG]) -> nodes.NodeNG | None:
    last = max(definitions, key=lambda node: node.fromlineno or 0)
    if not isinstance(last, (nodes.FunctionDef, nodes.ClassDef)) or last.parent is not module:
        return None
    at = last.fromlineno or 0
    if any(node is not last and (node.fromlineno or 0) >= at for node in definitions):
        return None
    for node in module.nodes_of_class((nodes.ImportFrom, nodes.Name)):
        if isinstance(node, nodes.ImportFrom):
            if (node.fromlineno or 0) > at and any(n == "*" for n, _ in node.names):
                return None  # a star import after it may bind the name again
        elif node.name in ("globals", "vars", "setattr"):
            return None
    return last


def class_attribute_names(cls: nodes.ClassDef) -> set[str] | None:
    """dir(cls) as far as source shows it, or None when it cannot be known."""
    ordered = class_is_closed(cls)
    if ordered is None:
        return None
    names: set[str] = set()
    try:
        for klass in ordered:
            names.update(set(klass.locals) - _bare_annotations(klass))
            names.update(slot_names(klass) or ())
    except ERRORS as exc:
        own(exc)
        return None
    return names


def annotated_names(cls: nodes.ClassDef) -> set[str]:
    names: set[str] = set()
    ordered = class_is_closed(cls) or []
    for klass in ordered:
        for node in klass.body:
            if isinstance(node, nodes.AnnAssign) and isinstance(node.target, nodes.AssignName):
                names.add(node.target.name)
    return names


def owner_of(expr: nodes.NodeNG) -> tuple[nodes.NodeNG, bool] | None:
    """(module or class, is an instance) for what an expression is, or None when unsure."""
    value = safe_infer(expr)
    if isinstance(value, (nodes.Module, nodes.ClassDef)):
        return value, False
    if type(value) is astroid.Instance and isinstance(value._proxied, nodes.ClassDef):
        return value._proxied, True
    return None


def instance_attribute(cls: nodes.ClassDef, name: str) -> bool:
    """Is `name` assigned on instances (self.name = ...) anywhere in the class's MRO?"""
    ordered = class_is_closed(cls) or [cls]
    for klass in ordered:
        for node in getattr(klass, "instance_attrs", {}).get(name, ()):
            try:
                frame = node.frame()
            except ERRORS as exc:
                own(exc)
                return True
            # Only assignments made by the class's own methods, not by the code under lint.
            if isinstance(frame, nodes.FunctionDef) and isinstance(frame.parent, nodes.ClassDef):
                return True
    return False


def sets_attributes_dynamically(cls: nodes.ClassDef) -> bool:
    """Does the class (or an ancestor) set attributes the source does not name: setattr(),
    `__dict__`, vars()? Then a name missing from its source may exist on instances."""
    for klass in class_is_closed(cls) or [cls]:
        try:
            for node in klass.nodes_of_class((nodes.Call, nodes.Attribute)):
                if isinstance(node, nodes.Attribute) and node.attrname == "__dict__":
                    return True
                if (isinstance(node, nodes.Call) and isinstance(node.func, nodes.Name)
                        and node.func.name in ("setattr", "vars")):
                    return True
        except ERRORS as exc:
            own(exc)
            return True
    return False


def resolve_dotted(dotted: str, any_value: bool = False) -> nodes.NodeNG | None:
    """The module or class a dotted path names ('pkg.mod', 'pkg.mod.Class'), or None.
    With any_value, the last part may name any one certain value ('pkg.mod.func').
    A name the index follows to the module that defines it is built from there."""
    parts = resolver.defined_at(dotted).split(".")
    for cut in range(len(parts), 0, -1):
        if module_file(".".join(parts[:cut])) is None:
            continue  # not a pure-Python module: nothing to build
        module = module_by_name(".".join(parts[:cut]))
        if module is None:
            continue
        owner: nodes.NodeNG = module
        rest = parts[cut:]
        for at, part in enumerate(rest):
            status, value = member(owner, part)
            last = at == len(rest) - 1
            if status != "present" or value is None or not (
                    isinstance(value, nodes.ClassDef) or (any_value and last)):
                return None
            owner = value
        return owner
    return None
