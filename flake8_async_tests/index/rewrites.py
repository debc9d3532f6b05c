"""Whether a module or a class may be rewritten at run time, as its source shows: a name
that may rebind a namespace (`globals()`, `vars()`, `setattr()`, `exec`), used where it
may touch the module's own names, and a method that `setattr`s its own instance.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from .defs import chain, decorator_name, own_nodes
from .text import Text

if TYPE_CHECKING:
    from .facts import ModuleFacts

# Names whose use anywhere in a module means it may rebind its own names at run time.
REWRITERS = frozenset({"globals", "vars", "setattr", "exec"})
# Attributes `setattr(obj, "<name>", value)` may set without changing what any fact says
# (httpx and generated SDKs set `__module__` on every name they export).
METADATA = frozenset({"__module__", "__qualname__", "__doc__"})
# A cheap test of the source before walking its expressions for one of those names.
_MENTIONS_REWRITER = re.compile(rb"\b(?:%s)\b" % b"|".join(w.encode() for w in REWRITERS))
SETATTR = re.compile(rb"\bsetattr\b")
# Ways a module may get hold of itself (to hand itself to a function that sets on its
# parameter): where the source mentions none, no parameter holds the module.
_SELF_REFERENCES = frozenset({"modules", "import_module", "__import__", "getmodule"})
_SELF_REFERENCE = re.compile(rb"\b(?:%s)\b" % b"|".join(w.encode() for w in _SELF_REFERENCES))


def may_rewrite(tree: ast.Module, facts: ModuleFacts, text: Text) -> bool:
    """Does the module use a name that may rewrite its namespace? `setattr` on `self`
    (read per class, see `dynamic_self`), on a class of the module (that class is no
    longer plain), on an instance a function makes (`_setattr_on_instances`) or of
    metadata such as `__module__` (httpx and generated SDKs set it on every name they
    export) leaves the namespace alone. Only statements whose text mentions such a name
    are walked."""
    on_parameters = False  # a setattr on a parameter was let pass
    for stmt in tree.body:
        if not text.mentions(stmt, _MENTIONS_REWRITER):
            continue
        harmless: set[int] = set()
        methods: set[int] = set()  # (their first parameter is the instance or the class)
        for sub in ast.walk(stmt):  # breadth first: a def before its calls, a call before
            if isinstance(sub, ast.ClassDef):  # the name it calls, a class before its methods
                methods.update(id(node) for node in sub.body)
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if text.mentions(sub, SETATTR):
                    instances, parameters = _setattr_on_instances(sub, id(sub) in methods)
                    harmless |= instances
                    if parameters and not _refers_to_itself(tree, text):
                        harmless |= parameters
                        on_parameters = True
            elif (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
                    and sub.func.id == "setattr" and sub.args):
                target = sub.args[0]
                if len(sub.args) == 3 and isinstance(sub.args[1], ast.Constant) \
                        and sub.args[1].value in METADATA:
                    harmless.add(id(sub.func))
                elif isinstance(target, ast.Name) and target.id == "self":
                    harmless.add(id(sub.func))
                elif isinstance(target, ast.Name) and target.id in facts.classes:
                    _not_plain(facts, target.id, f"gets attributes by setattr at line {sub.lineno}")
                    harmless.add(id(sub.func))
            elif isinstance(sub, ast.Name) and sub.id in REWRITERS and id(sub) not in harmless:
                return True
    if on_parameters:
        _passed_classes(tree, facts)
    return False


def _refers_to_itself(tree: ast.Module, text: Text) -> bool:
    """May the module get hold of itself: does its code name `sys.modules` (or import
    `modules`), `import_module`, `__import__` or `getmodule`? (A name `modules` it binds
    itself, `modules = info["modules"]`, is no such name.)"""
    if not text.within(1, 1 << 30, _SELF_REFERENCE):
        return False  # (not even in a comment or a string)
    for node in ast.walk(tree):
        name = (node.id if isinstance(node, ast.Name) and node.id != "modules" else
                node.attr if isinstance(node, ast.Attribute) else None)
        if name in _SELF_REFERENCES:
            return True
        if isinstance(node, ast.ImportFrom) and any(
                alias.name in _SELF_REFERENCES for alias in node.names):
            return True
    return False


def _passed_classes(tree: ast.Module, facts: ModuleFacts) -> None:
    """A function of the module sets attributes on its parameter: each class of the module
    that some call is handed (`register(Handler)`) may gain attributes, and is not plain.
    (Decorated classes are not plain already; a function decorator sets on the function.)"""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for arg in (*node.args, *(k.value for k in node.keywords)):
                if isinstance(arg, ast.Name) and arg.id in facts.classes:
                    _not_plain(facts, arg.id, f"is handed at line {node.lineno} to a "
                                              "function that sets attributes on its argument")


def _not_plain(facts: ModuleFacts, name: str, why: str) -> None:
    cls = facts.classes[name]
    cls.why = cls.why or why  # (the first reason found is kept)
    cls.plain = False
    cls.decorators = []


# Calls that may give a module or a class, not an instance of one.
_GIVES_MODULES_OR_CLASSES = frozenset({"import_module", "__import__", "getmodule", "reload",
                                       "type", "getattr", "vars", "globals", "get"})
# Attributes that may hold a module or a class (pytest's `request.module`, `item.cls`).
_HOLDS_MODULES_OR_CLASSES = frozenset({"module", "cls", "obj", "function"})


def _setattr_on_instances(func: ast.FunctionDef | ast.AsyncFunctionDef, method: bool,
                          ) -> tuple[set[int], set[int]]:
    """The `setattr` names (node ids) of calls in a function's own body whose first
    argument is an instance, not the module or a class: a local the function binds only by
    calling something (`ch = Handler(...)`, then `setattr(ch, attr, True)`; a literal such
    as `found = None` before it too: no module, no class), or an
    attribute of one of its names (`setattr(worker.client, ...)`). A call that may give a
    module or a class (`import_module`, `type`, `getattr`...), an attribute that may hold
    one (`request.module`, `item.cls`, a dunder) and a parameter do not count. Then, apart,
    those whose first argument is a parameter the function never rebinds (a decorator's
    `setattr(func, "_feature", name)`): what a caller hands it; not a method's first
    parameter, its instance or its class."""
    args = func.args
    instances = {}  # local -> bound only by calls that make instances
    every = [arg.arg for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                 args.vararg, args.kwarg) if arg is not None]
    instances.update(dict.fromkeys(every, False))
    params = set(every[1:] if method and (args.posonlyargs or args.args) else every)
    assigned: set[int] = set()
    calls: list[ast.Call] = []
    for sub in own_nodes(func):
        if isinstance(sub, ast.Assign) and len(sub.targets) == 1 \
                and isinstance(sub.targets[0], ast.Name):
            value = sub.value
            assigned.add(id(sub.targets[0]))
            instances[sub.targets[0].id] = instances.get(sub.targets[0].id, True) and (
                isinstance(value, ast.Constant)  # (`found = None` first: never a module)
                or isinstance(value, ast.Call)
                and isinstance(value.func, (ast.Name, ast.Attribute))
                and decorator_name(value.func) not in _GIVES_MODULES_OR_CLASSES)
        elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load) \
                and id(sub) not in assigned:
            instances[sub.id] = False
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            instances.update(dict.fromkeys(sub.names, False))
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                and sub.func.id == "setattr" and sub.args:
            calls.append(sub)
    if calls:  # (a parameter the function, or a function in it, binds is not what was handed)
        params -= {sub.id for sub in ast.walk(func)
                   if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load)}
    on_params = {id(call.func) for call in calls
                 if isinstance(call.args[0], ast.Name) and call.args[0].id in params}
    return {id(call.func) for call in calls if _an_instance(call.args[0], instances)}, on_params


def _an_instance(target: ast.expr, instances: dict[str, bool]) -> bool:
    if isinstance(target, ast.Name):
        return instances.get(target.id, False)
    root, names = chain(target)
    return (isinstance(target, ast.Attribute) and isinstance(root, ast.Name)
            and not any(n in _HOLDS_MODULES_OR_CLASSES or n.startswith("__") for n in names))


def dynamic_self(func: ast.FunctionDef | ast.AsyncFunctionDef, me: str,
                 own: set[str]) -> bool:
    """Does a method `setattr` its first parameter? A literal name joins `own`; any
    other name makes every attribute of an instance possible (True)."""
    dynamic = False
    for sub in ast.walk(func):
        if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
                and sub.func.id == "setattr" and len(sub.args) >= 2
                and isinstance(sub.args[0], ast.Name) and sub.args[0].id == me):
            name = sub.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                own.add(name.value)
            else:
                dynamic = True
    return dynamic
