"""One module's facts, read from its `ast` tree and kept as plain data (JSON on disk).

Facts are what the source says, nothing inferred: each name a module or class binds and
how (a def, an async def, a def with a decorator of unknown effect, anything else), the
dotted names its imports bind, the bases of its classes as spelled, every module it
imports anywhere, and whether the module or a class may be rewritten at run time
(rewrites.py).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from .defs import (
    ASYNC_DEF, DEF, MADE_BY, OTHER, chain, decorator_name, def_kind, keeps_class, local_class,
    overload, record_return, record_signature, spelled,
)
from .rewrites import SETATTR, dynamic_self, may_rewrite
from .text import Text

# Class decorators and metaclasses that leave methods as written.
PLAIN_CLASS_DECORATORS = frozenset({"dataclass", "final", "total_ordering",
                                    "runtime_checkable", "unique"})
# What a method sets `self.x` to when that is one of its parameters: PARAMETER and the line
# (what a caller passes: its value is unknown).
PARAMETER = "<parameter> "
NONE = "<none>"  # `self.x = None`: no method of it makes a coroutine (it has none)


@dataclass
class ClassFacts:
    kinds: dict[str, str] = field(default_factory=dict)  # every name the body binds
    bases: list[str | None] = field(default_factory=list)  # as spelled; None: not a name
    plain: bool = True  # no metaclass, class decorator or __getattr__ of unknown effect
    self_names: list[str] = field(default_factory=list)  # `self.x = ...` in any method
    # what the methods that set `self.x` set it to, where the source tells for each:
    # MADE_BY and a callee as spelled, or NONE (each way, once; [] where they only set
    # `self.x.y`), or PARAMETER and a line
    self_values: dict[str, list[str]] = field(default_factory=dict)
    dynamic_self: bool = False  # `setattr(self, name, ...)`: an instance may have any name
    marked: bool = False  # a mark decorator or a pytestmark in its body
    # each coroutine method (an async def, not a generator, plain decorators): its kind
    # ("method", "staticmethod", "classmethod") and Signature.to_json()
    signatures: dict[str, list | None] = field(default_factory=dict)
    # each plain def: what calling it returns, as source says (see `record_return`)
    returns: dict[str, str] = field(default_factory=dict)
    # class decorators (as spelled) that alone keep the class from being plain: the
    # resolver follows them (`keeps_class`)
    decorators: list[str] = field(default_factory=list)
    decorated: bool = False  # has a class decorator of unknown effect
    # defines __init_subclass__ (outside the standard library): a hook that may rewrite
    # every subclass, not the class itself
    init_subclass: bool = False


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

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        data["classes"] = {name: dict(cls.__dict__) for name, cls in self.classes.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> ModuleFacts:
        data = dict(data)
        data["classes"] = {name: ClassFacts(**value) for name, value in data["classes"].items()}
        return cls(**data)


def _is_mark(expr: ast.expr) -> bool:
    """`pytest.mark.x`, `mark.x(...)`: marks leave a class's methods alone."""
    while isinstance(expr, ast.Call):
        expr = expr.func
    root, names = chain(expr)
    if isinstance(root, ast.Name):
        names = [root.id, *names]
    return "mark" in names[:-1]


def _plain_class(node: ast.ClassDef) -> tuple[bool, list[str], bool]:
    """(no class decorator, metaclass or attribute hook that may rewrite its methods (an
    __init_subclass__ rewrites subclasses: `ClassFacts.init_subclass`); the decorators, as
    spelled, that are the only reason it is not, when each is a name the resolver may
    follow; whether it has class decorators of unknown effect)."""
    unknown = [d for d in node.decorator_list
               if decorator_name(d) not in PLAIN_CLASS_DECORATORS and not _is_mark(d)]
    if not unknown:
        return _plain_body(node), [], False
    names = [spelled(d) if isinstance(d, (ast.Name, ast.Attribute)) else None for d in unknown]
    followable = _plain_body(node) and None not in names
    return False, [n for n in names if n] if followable else [], True


def _plain_body(node: ast.ClassDef) -> bool:
    for keyword in node.keywords:
        if keyword.arg != "metaclass" or decorator_name(keyword.value) != "ABCMeta":
            return False
    names = {getattr(stmt, "name", None) for stmt in node.body}
    return not names & {"__getattr__", "__getattribute__"}


def _bind(kinds: dict[str, str], name: str, kind: str) -> None:
    """A name bound twice in different ways is OTHER: which one wins is not known here."""
    if name in kinds and kinds[name] != kind:
        kind = OTHER
    kinds[name] = kind


def statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a body, those under top-level if/try/with included."""
    found: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.If, ast.Try, ast.With)) or type(node).__name__ == "TryStar":
            inner = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            for handler in getattr(node, "handlers", []):
                inner.extend(handler.body)
            stack.extend(reversed(inner))
    return found


def _targets(node: ast.stmt) -> list[ast.expr]:
    """What a statement assigns to (`x = ...`, `x += ...`, `for x in`, `with ... as x`)."""
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return [node.target] if getattr(node, "value", None) is not None else []
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [i.optional_vars for i in node.items if i.optional_vars is not None]
    return []


def _bound_names(node: ast.stmt) -> list[str]:
    return [sub.id for target in _targets(node) for sub in ast.walk(target)
            if isinstance(sub, ast.Name)]


def absolute(module: str | None, level: int, name: str, package: bool) -> str:
    """The absolute module a `from ... import` names, from the importing module's name."""
    if not level:
        return module or ""
    parts = name.split(".") if package else name.split(".")[:-1]
    parts = parts[:len(parts) - level + 1] if level > 1 else parts
    return ".".join(p for p in (*parts, module or "") if p)


def _self_attributes(func: ast.FunctionDef | ast.AsyncFunctionDef,
                     me: str) -> dict[str, list[str]]:
    """Attributes a method assigns on its first parameter (`self.x = ...`, `self.x += 1`,
    `with ... as self.x`, `for self.x in ...`), each with what each assignment sets it to:
    MADE_BY and the callee as spelled (`self.pool = Pool(...)`, or a local the method binds
    once, to that), PARAMETER and the line (`self.transport = transport`), or "" (anything
    else; anything set in a nested def or class)."""
    args = func.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} - {me}
    local = set(params) | {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    found: dict[str, list[tuple[ast.expr | None, int]]] = {}
    stores: dict[str, list[ast.expr | None]] = {}  # the method's own locals: their values
    stack: list[tuple[ast.stmt, bool]] = [(stmt, True) for stmt in reversed(func.body)]
    while stack:
        node, own = stack.pop()
        single = isinstance(node, ast.Assign) or (isinstance(node, ast.AnnAssign)
                                                  and node.value is not None)
        for target in _targets(node):
            for sub in ast.walk(target):
                value = node.value if own and single and sub is target else None  # type: ignore
                if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) \
                        and sub.value.id == me:  # (`self.x.y = v` sets nothing on self)
                    stored = not isinstance(sub.ctx, ast.Load)
                    found.setdefault(sub.attr, []).extend([(value, node.lineno)] * stored)
                elif own and isinstance(sub, ast.Name):
                    stores.setdefault(sub.id, []).append(value)
        if own and isinstance(node, (ast.Import, ast.ImportFrom)):
            local.update((a.asname or a.name).split(".")[0] for a in node.names)
        if type(node) not in _COMPOUND:
            continue
        nested = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if own and nested:
            local.add(node.name)
        if own:
            local.update(h.name for h in getattr(node, "handlers", ()) if h.name)
        stack.extend((stmt, own and not nested) for stmt in reversed(_inner(node)))
    local.update(stores)
    return {attr: [_set_value(value, line, params, local, stores) for value, line in values]
            for attr, values in found.items()}


def _set_value(value: ast.expr | None, line: int, params: set[str], local: set[str],
               stores: dict[str, list[ast.expr | None]]) -> str:
    """What one `self.x = value` of a method sets, as `_self_attributes` spells it."""
    if isinstance(value, ast.Constant) and value.value is None:
        return NONE
    if isinstance(value, ast.Name):
        if value.id in params:
            return f"{PARAMETER}{line}"
        bound = stores.get(value.id, [])
        value = bound[0] if len(bound) == 1 else None
    callee = _callee(value)
    if callee is None or callee.partition(".")[0] in local:
        return ""
    return MADE_BY + callee


def _agreed(values: list[str]) -> list[str] | None:
    """One attribute's values over every assignment of the class: the first PARAMETER (an
    unknown value), else each value once when the source tells every one (none: the
    class only sets attributes of it, `self.x.y = v`), else None."""
    for value in values:
        if value.startswith(PARAMETER):
            return [value]
    return None if "" in values else sorted(set(values))


def _class_facts(node: ast.ClassDef, stdlib: bool, text: Text) -> ClassFacts:
    plain, decorators, decorated = _plain_class(node)
    cls = ClassFacts(bases=[spelled(b) for b in node.bases], plain=plain,
                     marked=any(_is_mark(d) for d in node.decorator_list),
                     decorators=decorators, decorated=decorated,
                     init_subclass=not stdlib and any(
                         getattr(stmt, "name", None) == "__init_subclass__"
                         for stmt in node.body))
    own: set[str] = set()
    values: dict[str, list[str]] = {}
    scoped = {name for stmt in node.body if isinstance(stmt, (ast.Global, ast.Nonlocal))
              for name in stmt.names}  # (an alias of such a name is no alias of a method)
    for stmt in statements(node.body):
        if overload(stmt):
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            _bind(cls.kinds, stmt.name, def_kind(stmt))
            record_signature(cls.signatures, stmt, text)
            record_return(cls.returns, stmt)
        alias = _alias(stmt)
        if (alias is not None and not scoped.intersection(alias)
                and cls.kinds.get(alias[1]) in (ASYNC_DEF, DEF)):
            _bind_alias(cls, *alias)
        else:
            for bound in _bound_names(stmt):
                _bind(cls.kinds, bound, OTHER)
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            own.add(stmt.target.id)  # annotated only: an instance attribute
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.args.args:
            me = stmt.args.args[0].arg
            for attr, set_to in _self_attributes(stmt, me).items():
                values.setdefault(attr, []).extend(set_to)
            if text.mentions(stmt, SETATTR):
                named: set[str] = set()
                cls.dynamic_self = dynamic_self(stmt, me, named) or cls.dynamic_self
                for attr in named:  # setattr(self, "x", ...): set to what is not read
                    values.setdefault(attr, []).append("")
    own.update(values)
    cls.self_names = sorted(own)
    cls.self_values = {attr: agreed for attr, set_to in sorted(values.items())
                       if (agreed := _agreed(set_to)) is not None}
    cls.marked = cls.marked or "pytestmark" in cls.kinds
    return cls


def _one_target(stmt: ast.stmt) -> str | None:
    """The one plain name `name = value` or `name: T = value` assigns, or None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target = stmt.target
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def _alias(stmt: ast.stmt) -> tuple[str, str] | None:
    """(name, other) for `name = other` or `name: T = other`, both plain names."""
    name = _one_target(stmt)
    value = getattr(stmt, "value", None)
    return (name, value.id) if name and isinstance(value, ast.Name) else None


def _bind_alias(cls: ClassFacts, name: str, other: str) -> None:
    """`handler = ping` in a class body, `ping` a def of the class above it: `handler` is
    that def under another name (its kind, signature and return), kept as a second
    definition of `handler` would be (record_signature, record_return)."""
    _bind(cls.kinds, name, cls.kinds[other])
    for found, disagree in ((cls.signatures, None), (cls.returns, "")):
        if other in found:
            same = found.get(name, found[other]) == found[other]
            found[name] = found[other] if same else disagree
        elif found is cls.returns:
            found.pop(name, None)  # (record_return: a name that is no plain def)
        elif name in found:
            found[name] = None  # (record_signature: a name that is no coroutine function)


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
    own = _run_on_import(body) if own is None else own
    defs = {n.name for n in own if isinstance(n, ast.FunctionDef)}
    async_defs = {n.name for n in own if isinstance(n, ast.AsyncFunctionDef)}
    skipped = set(declared_global) | {name for n in own if isinstance(n, (ast.Global, ast.Nonlocal))
                                      for name in n.names}
    names: set[str] = set()
    async_names: set[str] = set()
    for node in own:
        name = _one_target(node)
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


def _run_on_import(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements a module's own code runs as it is imported: in any block (loops
    and `match` included), not in a def or a class."""
    found: list[ast.stmt] = []
    stack = list(body)
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for block in ("body", "orelse", "finalbody"):
            stack.extend(getattr(node, block, ()))
        for inner in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            stack.extend(inner.body)
    return found


# Statements that hold statements.
_COMPOUND = frozenset({
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
    ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ())})


def _all_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement at any depth (in functions, classes and blocks), expressions aside."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if type(node) in _COMPOUND:
            stack.extend(reversed(_inner(node)))


def _inner(node: ast.stmt) -> list[ast.stmt]:
    """The statements a compound statement holds directly: its blocks, handlers, cases."""
    inner: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(node, name, None)
        if isinstance(value, list):
            inner.extend(value)
    for handler in getattr(node, "handlers", ()):
        inner.extend(handler.body)
    for case in getattr(node, "cases", ()):
        inner.extend(case.body)
    return inner


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
    elif "__all__" not in _bound_names(node):
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
        _bind(facts.kinds, name, kind)
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
            made = local_class(node, facts.returns.get(node.name, ""))  # type: ignore[arg-type]
            if made is not None:  # (named `func:Cls`)
                facts.classes[facts.returns[node.name][len(MADE_BY):]] = _class_facts(
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
                facts.classes[node.name] = _class_facts(node, stdlib, text)
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
            for bound in _bound_names(node):
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
    on_import = _run_on_import(tree.body)
    eager = {id(node) for node in on_import}
    declared_global: set[str] = set()
    modules: dict[str, None] = {}
    lazy: dict[str, None] = {}
    defs: set[str] = set()
    async_defs: set[str] = set()
    for sub in _all_statements(tree.body):
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
    name = _one_target(node)
    callee = _callee(node.value) if name else None  # type: ignore[attr-defined]
    return (name, MADE_BY + callee) if name and callee else None


def _callee(value: ast.expr | None) -> str | None:
    """`pkg.Cls` for a call `pkg.Cls(...)` of a name or an attribute of one; None for
    anything else."""
    if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
        return None
    return spelled(value.func)
