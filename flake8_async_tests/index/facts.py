"""One module's facts, read from its `ast` tree and kept as plain data (JSON on disk).

Facts are what the source says, nothing inferred: each name a module or class binds and
how (a def, an async def, a def with a decorator of unknown effect, anything else), the
dotted names its imports bind, the bases of its classes as spelled, every module it
imports anywhere, and whether the module or a class may be rewritten at run time
(rewrites.py). A class's own facts are read in class_facts.py, the statements both walk
in statements.py.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field

from .class_facts import ClassFacts, class_facts
from .defs import (
    MADE_BY, OTHER, def_kind, keeps_class, local_class, mixed_return, overload,
    record_awaited, record_return, record_signature, spelled,
)
from .rewrites import may_rewrite
from .statements import (
    all_statements, bind_kind, bound_names, call_name, one_target, run_on_import, statements,
)
from .text import Text


@dataclass
class ModuleFacts:
    name: str
    package: bool
    kinds: dict[str, str] = field(default_factory=dict)  # every name the top level binds
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted name
    modules: list[str] = field(default_factory=list)  # modules imported at module level
    lazy_modules: list[str] = field(default_factory=list)  # imported in functions, classes
    defs: list[str] = field(default_factory=list)  # names of every def, anywhere
    async_defs: list[str] = field(default_factory=list)  # names of every async def
    stars: list[str] = field(default_factory=list)  # modules star-imported at module level
    # names bound at the top level (not under if/try) after the last star import: those
    # win over what the star imports bind
    late: list[str] = field(default_factory=list)
    # `__all__` when written with string literals only (`=`, `+=`, `.extend`, `.append`);
    # `all_known` is False when it is built some other way: what a star import binds is
    # then unknown.
    all_names: list[str] | None = None
    all_known: bool = True
    rewritten: bool = False  # a module __getattr__ or globals() tricks (not just stars)
    signatures: dict[str, list | None] = field(default_factory=dict)  # functions, as above
    returns: dict[str, str] = field(default_factory=dict)  # functions, as above
    awaited: dict[str, str] = field(default_factory=dict)  # coroutine functions, as above
    # functions that return their first argument, only setting these attributes on it
    # (`cls.__init__ = wrapped; return cls`): class decorators that keep the class
    keeps_class: dict[str, list[str]] = field(default_factory=dict)
    # names the module binds once, at the top level, to what one call makes (`logger =
    # logging.getLogger(__name__)`, `_PATTERN = re.compile(...)`): MADE_BY and the callee
    # as spelled; not a name any function declares `global`, deletes or binds again
    values: dict[str, str] = field(default_factory=dict)
    # names the module binds once, at the top level, to another name or attribute, itself
    # bound once (`StrictRedis = Redis`, `Client = httpx.AsyncClient`): that, as spelled;
    # not a name any function declares `global`
    aliases: dict[str, str] = field(default_factory=dict)
    # module-level plain defs, bound once, that return a local they bind several ways to
    # values that disagree (defs.mixed_return): [the local, the lines binding it]
    mixed: dict[str, list] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        data["classes"] = {name: dict(cls.__dict__) for name, cls in self.classes.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> ModuleFacts:
        data = dict(data)
        data["classes"] = {name: ClassFacts(**value) for name, value in data["classes"].items()}
        return cls(**data)


def absolute(module: str | None, level: int, name: str, package: bool) -> str:
    """The absolute module a `from ... import` names, from the importing module's name."""
    if not level:
        return module or ""
    parts = name.split(".") if package else name.split(".")[:-1]
    parts = parts[:len(parts) - level + 1] if level > 1 else parts
    return ".".join(p for p in (*parts, module or "") if p)


def body_aliases(body: list[ast.stmt], in_class: bool,
                 declared_global: frozenset[str] = frozenset(),
                 own: list[ast.stmt] | None = None) -> tuple[set[str], set[str]]:
    """(names, async names) bound in a module's or class's own code (`own`: any block, not
    in a def or class) to a def (an async def) of that same code: `name = other`, or a
    value that may end as one (`name = a or other`, `name = other if c else a`; see
    `value_ends`): another name for it, which the search of the modules in reach counts as
    a def. Left out, as bytecode cannot show them as such (compiled.py then reads the
    module from source or alike): names `global` or `nonlocal` there (for a module: in
    any of its scopes, `declared_global`), and in a class private names (mangled) and
    `__module__`."""
    own = run_on_import(body) if own is None else own
    defs = {n.name for n in own if isinstance(n, ast.FunctionDef)}
    async_defs = {n.name for n in own if isinstance(n, ast.AsyncFunctionDef)}
    skipped = set(declared_global) | {name for n in own if isinstance(n, (ast.Global, ast.Nonlocal))
                                      for name in n.names}
    names: set[str] = set()
    async_names: set[str] = set()
    for node in own:
        name = one_target(node)
        value = getattr(node, "value", None)
        if not name or value is None or name in skipped or (in_class and (
                name == "__module__" or _private(name))):
            continue
        for other in value_ends(value):
            if other in skipped or (in_class and _private(other)):
                continue
            if other in defs:
                names.add(name)
            if other in async_defs:
                async_names.add(name)
    return names, async_names


def value_ends(value: ast.expr) -> list[str]:
    """The plain names a value may end as, where the compiler stores that name's value
    right after loading it: the value itself, the last operand of `and` or `or`, either
    branch of `a if c else b` (at any depth of these)."""
    found: list[str] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.BoolOp):
            stack.append(node.values[-1])
        elif isinstance(node, ast.IfExp):
            stack.extend((node.orelse, node.body))
    return found


def _private(name: str) -> bool:
    """A name Python mangles in a class body (`__x`, not `__x__`)."""
    return name.startswith("__") and not name.endswith("__")


def _imported_modules(node: ast.Import | ast.ImportFrom, name: str, package: bool) -> list[str]:
    """The modules an import statement may import (`from pkg import sub` may import the
    submodule pkg.sub)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = absolute(node.module, node.level, name, package)
    found = [module] if module else []
    found.extend(f"{module}.{alias.name}" if module else alias.name
                 for alias in node.names if alias.name != "*")
    return found


def _strings(expr: ast.expr | None) -> list[str] | None:
    """The items of a list or tuple of string literals, else None."""
    if not isinstance(expr, (ast.List, ast.Tuple)):
        return None
    items = [e.value for e in expr.elts if isinstance(e, ast.Constant)]
    return items if len(items) == len(expr.elts) and all(isinstance(i, str) for i in items) \
        else None


def _read_all(facts: ModuleFacts, node: ast.stmt) -> None:
    """Follow a top-level statement that writes `__all__` (what `import *` binds)."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == "__all__"):
            return
        one = call.args[0] if len(call.args) == 1 and not call.keywords else None
        added = (_strings(one) if func.attr == "extend" else
                 [one.value] if func.attr == "append" and isinstance(one, ast.Constant)
                 and isinstance(one.value, str) else None)
    elif "__all__" not in bound_names(node):
        return
    elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
        added = _strings(node.value)
    else:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        names = _strings(value)
        single = isinstance(node, ast.AnnAssign) or (
            isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name))
        if names is None or not single or facts.all_names is not None:
            facts.all_known = False  # computed, unpacked, or written twice
        else:
            facts.all_names = names
        return
    if added is None or facts.all_names is None:
        facts.all_known = False  # grown by something not literal, or before it is set
    else:
        facts.all_names.extend(added)


def build(tree: ast.Module, name: str, package: bool, source: bytes | None = None,
          ) -> ModuleFacts:
    """The facts of module `name` (a package's `__init__` when `package`). With `source`
    (the text `tree` was parsed from), expressions are walked only where it can matter."""
    facts = ModuleFacts(name=name, package=package)
    stdlib = name.split(".")[0] in sys.stdlib_module_names
    text = Text(source)
    imported: dict[str, set[str]] = {}  # every dotted name each local name is imported as
    late: set[str] = set()  # names bound unconditionally after the last star import
    top = {id(node) for node in tree.body}
    at_top = False
    called: dict[str, str] = {}  # top-level `name = call(...)`: what the call is spelled as
    aliased: dict[str, str] = {}  # top-level `name = other` (a name or attribute): other
    times: dict[str, int] = {}  # how many statements bind each name

    def bind(name: str, kind: str) -> None:
        bind_kind(facts.kinds, name, kind)
        times[name] = times.get(name, 0) + 1
        if at_top:
            late.add(name)

    others: set[str] = set()  # names also bound some other way than an import
    for node in statements(tree.body):
        if overload(node):
            continue
        at_top = id(node) in top
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bind(node.name, def_kind(node))
            record_signature(facts.signatures, node, text, in_class=False)
            record_return(facts.returns, node)
            mixed = mixed_return(node) if at_top else None
            if mixed is not None:
                facts.mixed[node.name] = mixed
            record_awaited(facts.awaited, node)
            made = local_class(node, facts.returns.get(node.name, ""))  # type: ignore[arg-type]
            if made is not None:  # (named `func:Cls`)
                facts.classes[facts.returns[node.name][len(MADE_BY):]] = class_facts(
                    made, stdlib, text)
            kept = keeps_class(node)
            if kept is not None:
                facts.keeps_class[node.name] = kept
            if node.name == "__getattr__":
                facts.rewritten = True
        elif isinstance(node, ast.ClassDef):
            bind(node.name, OTHER)
            if node.name in facts.classes:
                facts.classes.pop(node.name)  # defined twice: not known here
            else:
                facts.classes[node.name] = class_facts(node, stdlib, text)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                bind(local, OTHER)
                facts.imports[local] = alias.name if alias.asname else local
                imported.setdefault(local, set()).add(facts.imports[local])
        elif isinstance(node, ast.ImportFrom):
            module = absolute(node.module, node.level, name, package)
            for alias in node.names:
                if alias.name == "*":
                    if module not in facts.stars:
                        facts.stars.append(module)
                    late.clear()
                    continue
                local = alias.asname or alias.name
                bind(local, OTHER)
                facts.imports[local] = f"{module}.{alias.name}"
                imported.setdefault(local, set()).add(facts.imports[local])
        else:
            for bound in bound_names(node):
                bind(bound, OTHER)
                others.add(bound)
            if isinstance(node, ast.Delete):  # (under `if`, `try` or `with` too)
                times.update((t.id, 2) for t in node.targets if isinstance(t, ast.Name))
            value = _module_value(node) if at_top else None
            if value is not None:
                called[value[0]] = value[1]
            alias = _module_alias(node) if at_top else None
            if alias is not None:
                aliased[alias[0]] = alias[1]
            _read_all(facts, node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            others.add(node.name)
    # A name imported from two places, or imported and bound otherwise (`try: from app
    # import Factory` / `except ImportError: Factory = MagicMock`), has no single value.
    for local, targets in imported.items():
        if len(targets) > 1 or local in others:
            facts.imports.pop(local, None)
            facts.classes.pop(local, None)
    on_import = run_on_import(tree.body)
    eager = {id(node) for node in on_import}
    declared_global: set[str] = set()
    modules: dict[str, None] = {}
    lazy: dict[str, None] = {}
    defs: set[str] = set()
    async_defs: set[str] = set()
    for sub in all_statements(tree.body):
        if isinstance(sub, ast.Global):
            called = {k: v for k, v in called.items() if k not in sub.names}
            aliased = {k: v for k, v in aliased.items() if k not in sub.names}
            declared_global.update(sub.names)
        if isinstance(sub, ast.FunctionDef):
            defs.add(sub.name)
        elif isinstance(sub, ast.AsyncFunctionDef):
            async_defs.add(sub.name)
        elif isinstance(sub, ast.ClassDef):
            aliases = body_aliases(sub.body, in_class=True)
            defs.update(aliases[0])
            async_defs.update(aliases[1])
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            (modules if id(sub) in eager else lazy).update(dict.fromkeys(
                _imported_modules(sub, name, package)))
    aliases = body_aliases(tree.body, False, frozenset(declared_global), on_import)
    defs.update(aliases[0])
    async_defs.update(aliases[1])
    if may_rewrite(tree, facts, text):
        facts.rewritten = True
    facts.modules = list(modules)
    facts.lazy_modules = [m for m in lazy if m not in modules]
    facts.late = sorted(late) if facts.stars else []
    facts.defs = sorted(defs)
    facts.async_defs = sorted(async_defs)
    facts.values = {name: value for name, value in sorted(called.items())
                    if times.get(name) == 1}
    facts.aliases = {name: other for name, other in sorted(aliased.items())
                     if times.get(name) == 1 and times.get(other.partition(".")[0]) == 1}
    facts.mixed = {name: found for name, found in facts.mixed.items() if times.get(name) == 1}
    return facts


def _module_alias(node: ast.stmt) -> tuple[str, str] | None:
    """`name = other` or `name = pkg.Other` (one plain name assigned a name or attribute):
    (the name, the other as spelled)."""
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, (ast.Name, ast.Attribute))):
        return None
    other = spelled(node.value)
    return (node.targets[0].id, other) if other else None


def _module_value(node: ast.stmt) -> tuple[str, str] | None:
    """`name = callee(...)` or `name: T = callee(...)` (one plain name assigned): (the
    name, MADE_BY and the callee as spelled)."""
    name = one_target(node)
    callee = call_name(node.value) if name else None  # type: ignore[attr-defined]
    return (name, MADE_BY + callee) if name and callee else None
