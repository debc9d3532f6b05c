"""What kind of test class a class is, read from its ancestry: a `unittest.TestCase`
(whose async tests pytest never runs), an `IsolatedAsyncioTestCase` or another base that
runs coroutines (`--async-tests-bases`), the runner marks its ancestors carry, whether one
defines `__init__` (pytest does not collect the class then). The index reads the ancestry
where it can; astroid is asked for the rest; an ancestry neither can follow is unknown.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .. import inference
from ..imports import mark_name
from ..index import resolver
from .marks import ASYNC_MARKS


TESTCASE = "unittest.case.TestCase"
ISOLATED = "unittest.async_case.IsolatedAsyncioTestCase"
# What the syntactic shortcut may conclude without astroid.
KNOWN_BASES = {
    "object": (),
    "builtins.object": (),
    "unittest.TestCase": (TESTCASE,),
    "unittest.case.TestCase": (TESTCASE,),
    "unittest.IsolatedAsyncioTestCase": (ISOLATED, TESTCASE),
    "unittest.async_case.IsolatedAsyncioTestCase": (ISOLATED, TESTCASE),
}


@dataclass
class ClassInfo:
    """What the rules need to know about one class."""

    known: bool  # every ancestor is known
    unittest: bool = False
    async_bases: list[str] = field(default_factory=list)  # qnames of async-capable ancestors
    inherited_marks: tuple[str, ...] = ()  # runner marks found on ancestors
    has_init: bool = False

    @property
    def stdlib_async_only(self) -> bool:
        return all(q == ISOLATED for q in self.async_bases)


class ClassKinds:
    """Those answers for one file, class by class."""

    def __init__(self, ctx) -> None:  # ctx: FileContext
        self.ctx = ctx

    def info(self, cls: ast.ClassDef) -> ClassInfo:
        has_init = any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and s.name == "__init__" for s in cls.body)
        if any(k.arg == "metaclass" for k in cls.keywords):
            return ClassInfo(known=False, has_init=has_init)
        qnames: list[str] = []
        for base in cls.bases:
            dotted = self.ctx.resolve(base)
            if dotted not in KNOWN_BASES:
                return self._from_astroid(cls, has_init)
            qnames.extend(KNOWN_BASES[dotted])
        return self._info_from(qnames, (), has_init)

    def _info_from(self, qnames: list[str], marks: tuple[str, ...], has_init: bool) -> ClassInfo:
        async_bases = [q for q in qnames if self._is_async_base(q)]
        return ClassInfo(known=True, unittest=TESTCASE in qnames, async_bases=async_bases,
                         inherited_marks=marks, has_init=has_init)

    def _is_async_base(self, qname: str) -> bool:
        top, name = qname.split(".")[0], qname.rsplit(".", 1)[-1]
        for entry in self.ctx.options.async_bases:
            if entry == qname or (entry.split(".")[0] == top and entry.rsplit(".", 1)[-1] == name):
                return True
        return False

    def _from_index(self, cls: ast.ClassDef, has_init: bool) -> ClassInfo | None:
        """The ancestry read from the project index alone; None when it cannot tell (then
        astroid is asked): a base it cannot follow, one that may be rewritten, or one that
        carries marks."""
        ancestors: dict[str, object] = {}
        for base in cls.bases:
            dotted = self.ctx.static_dotted(base)
            found = resolver.class_ancestors(dotted) if dotted is not None else None
            if found is None or any(c.marked or c.init_subclass for c in found.values()):
                return None
            ancestors.update(found)
        if any(getattr(s, "name", None) == "__init_subclass__" for s in cls.body):
            return ClassInfo(known=False, has_init=has_init)
        for qname, facts in ancestors.items():
            if "__init__" in facts.kinds and not qname.startswith(("unittest.", "builtins.")):
                has_init = True
        return self._info_from(list(ancestors), (), has_init)

    def _from_astroid(self, cls: ast.ClassDef, has_init: bool) -> ClassInfo:
        found = self._from_index(cls, has_init)
        if found is not None:
            return found
        ancestors = self._imported_ancestors(cls)
        if ancestors is None:
            node = self.ctx.astroid_node(cls)
            mro = inference.class_mro(node) if node is not None else None
            if mro is None or inference.rewrites_subclasses(mro[0]):
                return ClassInfo(known=False, has_init=has_init)
            ancestors = mro[1:]
        elif any(getattr(s, "name", None) == "__init_subclass__" for s in cls.body):
            return ClassInfo(known=False, has_init=has_init)
        qnames = [inference.qname(c) or "" for c in ancestors]
        marks: list[str] = []
        if any(inference.rewrites_subclasses(c) for c in ancestors):
            return ClassInfo(known=False, has_init=has_init)
        for ancestor in ancestors:
            found = _astroid_class_marks(ancestor, self.ctx.options.runner_markers)
            if found is None:
                return ClassInfo(known=False, has_init=has_init)
            marks.extend(found)
            if any(b.name == "__init__" for b in ancestor.mymethods()) and not (
                    inference.qname(ancestor) or "").startswith(("unittest.", "builtins.")):
                has_init = True
        return self._info_from(qnames, tuple(marks), has_init)

    def _imported_ancestors(self, cls: ast.ClassDef) -> list | None:
        """The ancestors of a class whose bases are all imported classes, found without
        building this file for astroid; None otherwise."""
        ancestors: dict[str, object] = {}
        for base in cls.bases:
            dotted = self.ctx.static_dotted(base)
            if dotted is None or dotted.startswith(self.ctx.modname + "."):
                return None
            value = inference.resolve_dotted(dotted)
            mro = inference.class_mro(value) if inference.is_class(value) else None
            if mro is None:
                return None
            for klass in mro:
                ancestors.setdefault(f"{inference.qname(klass)}@{klass.root().file}", klass)
        return list(ancestors.values())


def _astroid_class_marks(cls, runner_markers: tuple[str, ...]) -> list[str] | None:
    """Runner marks a class (from any module) carries; None when they cannot be read."""
    marks: list[str] = []
    exprs = list(cls.decorators.nodes) if cls.decorators else []
    for assign in cls.locals.get("pytestmark", ()):
        parent = assign.parent
        value = getattr(parent, "value", None)
        if value is None:
            return None
        exprs.extend(value.elts if hasattr(value, "elts") else [value])
    for expr in exprs:
        dotted = inference.dotted_name(expr)
        if dotted is None:
            continue
        if dotted.startswith("_pytest.mark."):
            dotted = "pytest.mark." + dotted[len("_pytest.mark."):]
        name = mark_name(dotted)
        if name is not None and (name in ASYNC_MARKS or name in runner_markers):
            marks.append(name)
    return marks
