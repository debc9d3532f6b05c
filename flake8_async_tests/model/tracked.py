"""What a mock is while a function is read: its kind, spec, what is configured on it and
where it came from (`Tracked`), how the file spells mock classes and patchers (`Names`), and
what a mock constructor or a patcher call makes."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..context import FunctionNode
from ..imports import ImportTable
from ..mock_names import ALL_KINDS, MOCK
from ..syntax import LITERALS, parameters


KEYWORD_CONFIG = frozenset({"return_value", "side_effect", "wraps"})
# Names patch() creates on a module by itself (unittest.mock's own rule).


@dataclass
class Tracked:
    """What is known about one mock name in one scope."""

    kind: str  # one of ALL_KINDS, or "patch" (MagicMock or AsyncMock after its target)
    label: str  # how to call it in messages
    spec: ast.expr | None = None  # spec class expression (in this file)
    spec_names: frozenset[str] | None = None  # spec=['a', 'b']
    spec_unknown: bool = False  # spec'd, but by something we cannot read
    spec_set: bool = False
    autospec: bool = False
    target: tuple[ast.expr | None, str] | None = None  # patch target: (owner expr | None, name)
    target_dotted: str | None = None  # patch('pkg.mod.name')
    configured: set[str] = field(default_factory=set)  # first components configured
    bulk: bool = False  # configured by something we cannot read
    escaped: bool = False  # handed to other code, which may configure it
    local: bool = True  # built in this file
    origin: str | None = None  # else the conftest.py it was built in
    set_attrs: dict[str, ast.AST] = field(default_factory=dict)
    literal_return: bool = False  # return_value= a literal (never awaitable), no side_effect

    @property
    def specced(self) -> bool:
        return (self.spec is not None or self.spec_names is not None or self.spec_unknown
                or self.autospec)


def attr_chain(expr: ast.expr) -> tuple[str, list[str]] | None:
    """('m', ['a', 'return_value', 'b']) for m.a().b; None if not rooted at a name."""
    parts: list[str] = []
    while True:
        if isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        elif isinstance(expr, ast.Call):
            parts.append("return_value")
            expr = expr.func
        elif isinstance(expr, ast.Name):
            return expr.id, list(reversed(parts))
        else:
            return None


def norm_parts(parts: list[str]) -> list[str]:
    return ["return_value" if p == "side_effect" else p for p in parts]


def positional_params(func: FunctionNode) -> list[str]:
    args = func.args
    return [a.arg for a in (*args.posonlyargs, *args.args)]


def all_params(func: FunctionNode) -> set[str]:
    return set(parameters(func, starred=True))


def keyword(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and len(call.args) > position and not any(
            isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        return call.args[position]
    return None


def truthy_const(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and bool(expr.value)


class Names:
    """Resolves what a call creates: mocks, patchers, in one module's import table."""

    def __init__(self, imports: ImportTable, mockers: set[str]) -> None:
        self.imports = imports
        self.mockers = mockers

    def dotted(self, expr: ast.expr) -> str | None:
        chain = attr_chain(expr.func if isinstance(expr, ast.Call) else expr)
        if chain and chain[0] in self.mockers and not any(p == "return_value" for p in chain[1]):
            # pytest-mock: mocker.patch.object, mocker.MagicMock, ...
            return MOCK + ".".join(chain[1])
        return self.imports.resolve(expr)

    def mock_kind(self, expr: ast.expr) -> str | None:
        """'MagicMock' for `MagicMock(...)`, `mock.MagicMock(...)`, `mocker.MagicMock(...)`."""
        if not isinstance(expr, ast.Call):
            return None
        dotted = self.dotted(expr)
        if dotted and dotted.startswith(MOCK) and dotted[len(MOCK):] in ALL_KINDS:
            return dotted[len(MOCK):]
        return None

    def patcher(self, call: ast.Call) -> str | None:
        """'patch' or 'patch.object' for a patcher call."""
        dotted = self.dotted(call)
        if dotted in (MOCK + "patch", MOCK + "patch.object"):
            return dotted[len(MOCK):]
        return None

    def class_kind(self, expr: ast.expr | None) -> str | None:
        """'MagicMock' for new_callable=MagicMock."""
        if expr is None or isinstance(expr, ast.Call):
            return None
        dotted = self.dotted(expr)
        if dotted and dotted.startswith(MOCK) and dotted[len(MOCK):] in ALL_KINDS:
            return dotted[len(MOCK):]
        return None


def from_constructor(kind: str, call: ast.Call, label: str) -> Tracked:
    t = Tracked(kind=kind, label=label)
    spec = keyword(call, "spec", 0)
    spec_set = keyword(call, "spec_set")
    if spec_set is not None:
        spec, t.spec_set = spec_set, True
    set_spec(t, spec)
    for kw in call.keywords:
        if kw.arg is None:
            t.bulk = True
        elif kw.arg == "wraps":
            t.bulk = True
        elif kw.arg in ("return_value", "side_effect"):
            t.literal_return = kw.arg == "return_value" and "return_value" not in t.configured \
                and isinstance(kw.value, LITERALS)
            t.configured.add("return_value")
        elif kw.arg not in ("spec", "spec_set", "name", "unsafe", "parent", "_new_name",
                            "_new_parent", "_spec_as_instance", "_eat_self"):
            t.configured.add(kw.arg.split(".")[0])
    if len(call.args) > 1:
        t.bulk = True
    return t


def set_spec(t: Tracked, spec: ast.expr | None) -> None:
    if spec is None or (isinstance(spec, ast.Constant) and spec.value is None):
        return
    if isinstance(spec, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in spec.elts):
        t.spec_names = frozenset(e.value for e in spec.elts)  # type: ignore[misc]
    elif isinstance(spec, (ast.Name, ast.Attribute)):
        t.spec = spec
    else:
        t.spec_unknown = True


def copy_tracked(t: Tracked) -> Tracked:
    return Tracked(kind=t.kind, label=t.label, spec=t.spec, spec_names=t.spec_names,
                   spec_unknown=t.spec_unknown, spec_set=t.spec_set, autospec=t.autospec,
                   target=t.target, target_dotted=t.target_dotted,
                   configured=set(t.configured), bulk=t.bulk, escaped=t.escaped,
                   local=t.local, origin=t.origin,
                   set_attrs=dict(t.set_attrs))


def patch_target(call: ast.Call, which: str) -> tuple[ast.expr | None, str | None, str] | None:
    """(owner expression, owner's dotted name, attribute) a patcher names, when written
    out: `patch("pkg.mod.name")` gives (None, "pkg.mod", "name"), `patch.object(owner,
    "name")` (owner, None, "name"); None otherwise."""
    if which == "patch":
        target = keyword(call, "target", 0)
        if isinstance(target, ast.Constant) and isinstance(target.value, str) \
                and "." in target.value:
            owner, _, attr = target.value.rpartition(".")
            return None, owner, attr
        return None
    owner_expr = keyword(call, "target", 0)
    attr = keyword(call, "attribute", 1)
    if owner_expr is not None and isinstance(attr, ast.Constant) and isinstance(
            attr.value, str):
        return owner_expr, None, attr.value
    return None


def patch_result(call: ast.Call, which: str, label: str, names: Names) -> Tracked | None:
    """The mock a patch()/patch.object() call creates, when it creates one."""
    new_pos = 1 if which == "patch" else 2
    new = keyword(call, "new", new_pos)
    if new is not None:
        kind = names.mock_kind(new)
        if kind is None:
            return None
        assert isinstance(new, ast.Call)
        return from_constructor(kind, new, label)
    new_callable = keyword(call, "new_callable", None)
    if new_callable is not None:
        kind = names.class_kind(new_callable)
        if kind is None:
            return None
        t = Tracked(kind=kind, label=label)
    else:
        t = Tracked(kind="patch", label=label)
    target = patch_target(call, which)
    if target is not None:
        owner_expr, owner, attr = target
        if owner is not None:
            t.target_dotted = owner
        t.target = (owner_expr, attr)
    elif new_callable is None:
        return None
    spec = keyword(call, "spec", None)
    spec_set = keyword(call, "spec_set", None)
    autospec = keyword(call, "autospec", None)
    for value, is_set in ((spec, False), (spec_set, True)):
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            continue
        t.spec_set = t.spec_set or is_set
        if isinstance(value, ast.Constant) and value.value is True:
            t.autospec = False
            t.spec_unknown = True  # spec=True: the target itself (resolved on demand)
            t.kind = "MagicMock" if t.kind == "patch" else t.kind
        else:
            set_spec(t, value)
    if autospec is not None and not (isinstance(autospec, ast.Constant) and not autospec.value):
        t.autospec = True
        t.spec_unknown = True
    for kw in call.keywords:
        if kw.arg is None:
            t.bulk = True
        elif kw.arg not in ("target", "attribute", "new", "spec", "create", "spec_set",
                            "autospec", "new_callable"):
            if kw.arg in ("return_value", "side_effect"):
                t.configured.add("return_value")
            else:
                t.configured.add(kw.arg.split(".")[0])
    return t


def replacement_kind(new: ast.expr, names: Names, mocks: dict[str, Tracked]) -> str | None:
    """The kind of an unconfigured mock given as a replacement (a constructor call, or a
    name of `mocks`, the function's tracked mocks)."""
    if isinstance(new, ast.Call):
        kind = names.mock_kind(new)
        if kind is None:
            return None
        t = from_constructor(kind, new, "new")
    elif isinstance(new, ast.Name) and new.id in mocks:
        t = mocks[new.id]
        kind = t.kind
    else:
        return None
    configured = t.configured & {"return_value"} and not (
        t.literal_return and kind in ("Mock", "MagicMock"))  # `await True` fails too
    if t.bulk or t.escaped or configured or t.specced or kind not in ALL_KINDS:
        return None
    return kind
