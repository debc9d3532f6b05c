"""index/compiled.py: names read from the interpreter's bytecode cache are those the parser
reads (facts.build), or None; never a different answer."""

from __future__ import annotations

import ast
import importlib.util
import os
import py_compile
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from flake8_async_tests.index import compiled, modules, reach, resolver
from flake8_async_tests.index.facts import build

pytestmark = pytest.mark.skipif(not compiled.SUPPORTED, reason="bytecode read on 3.10-3.13")

# Packages every environment of this suite has, with their bytecode caches.
PACKAGES = ("asyncio", "unittest", "email", "json", "concurrent", "_pytest", "pluggy",
            "astroid", "flake8", "pyflakes", "pycodestyle")


def _modules() -> list[tuple[str, str]]:
    found = []
    for root in (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]):
        for top in PACKAGES:
            base = os.path.join(root, top)
            for folder, _, files in os.walk(base):
                for file in files:
                    path = os.path.join(folder, file)
                    if file.endswith(".py") and os.path.exists(
                            importlib.util.cache_from_source(path)):
                        dotted = os.path.relpath(path, root)[:-3].replace(os.sep, ".")
                        found.append((path, dotted.removesuffix(".__init__")))
    return found


def test_installed_modules_read_alike_from_bytecode_and_source() -> None:
    modules = _modules()
    assert len(modules) > 300
    read = 0
    for path, name in modules:
        names = compiled.names(path, name)
        if names is None:
            continue
        read += 1
        source = Path(path).read_bytes()
        facts = build(ast.parse(source), name, path.endswith("__init__.py"), source)
        # (the order of imports may differ: a try's handlers compile before its else)
        assert (set(facts.defs), set(facts.async_defs), set(facts.modules)) == (
            names.defs, names.async_defs, set(names.modules)), name
    assert read > len(modules) * 0.6  # most are read from bytecode


def _module(tmp_path: Path, text: str, invalidation=py_compile.PycInvalidationMode.TIMESTAMP,
            name: str = "mod") -> str:
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    old = time.time() - 60
    os.utime(path, (old, old))  # not changed within the mtime's resolution
    py_compile.compile(str(path), doraise=True, invalidation_mode=invalidation)
    return str(path)


GOOD = """\
from __future__ import annotations
import os.path
from . import sibling
from .pkg import a as b, c
try:
    import json
except ImportError:
    json = None
if os.name == "nt":
    from ntpath import join
for _ in ():
    import looped
while True:
    import once
    break
class Box:
    import re
    def get(self): pass
    async def aget(self): pass
async def agen():
    yield 1
def outer():
    import inner_only
    def nested(): pass
    return lambda: [x for x in ()]
"""


def test_names_of_a_module_as_the_source_gives_them(tmp_path: Path) -> None:
    path = _module(tmp_path, GOOD)
    names = compiled.names(path, "pkg.mod")
    assert names == compiled.Names(
        frozenset({"get", "outer", "nested"}), frozenset({"aget", "agen"}),
        ("__future__", "__future__.annotations", "os.path", "pkg", "pkg.sibling", "pkg.pkg",
         "pkg.pkg.a", "pkg.pkg.c", "json", "ntpath", "ntpath.join", "looped", "once"))
    facts = build(ast.parse(GOOD), "pkg.mod", False)
    assert set(facts.modules) == set(names.modules)
    assert (set(facts.defs), set(facts.async_defs)) == (names.defs, names.async_defs)


ALIASES = """\
class Box:
    def get(self): pass
    async def aget(self): pass
    fetch = aget
    read: object = get
    either = get or aget
    nested = get and (None or aget)
    last = read if get else aget
"""


@pytest.mark.parametrize("text, defs, async_defs", [
    (ALIASES, {"get", "read"}, {"aget", "fetch", "either", "nested", "last"}),
    ("async def ping(): pass\nhandler = ping\n", set(), {"ping", "handler"}),
    ("def ping(): pass\nif ping:\n    handler = ping\n", {"ping", "handler"}, set()),
    ("def ping(): pass\nhandler = None or ping\n", {"ping", "handler"}, set()),
], ids=["class", "module", "in-an-if", "or"])
def test_a_def_stored_under_another_name_reads_alike_either_way(
        tmp_path: Path, text: str, defs: set[str], async_defs: set[str]) -> None:
    """`name = other` in a module's or class's code, other a def of it, and a value that
    ends as one (the last operand of `and`/`or`, the `else` of a conditional expression):
    the compiler stores what it loaded at once, as the parser reads it (facts.value_ends)."""
    facts = build(ast.parse(text), "mod", False)
    assert (set(facts.defs), set(facts.async_defs)) == (defs, async_defs)
    names = compiled.names(_module(tmp_path, text), "mod")
    assert names is not None
    assert (names.defs, names.async_defs) == (defs, async_defs)


@pytest.mark.parametrize("text", [
    "class Box:\n    async def aget(self): pass\n    first = aget if 1 < 2 else None\n",
    "class Box:\n    async def aget(self): pass\n    first = aget if x else y\n",
], ids=["else-constant", "else-name"])
def test_a_def_chosen_first_by_a_conditional_is_read_alike_or_left_to_the_parser(
        tmp_path: Path, text: str) -> None:
    """`name = other if c else a`: a compiler that copies the store into each branch stores
    `other` at once (read alike); one that jumps to a shared store leaves it to the parser
    (3.11 always, 3.13 for a constant `else`): never another answer."""
    facts = build(ast.parse(text), "mod", False)
    assert (set(facts.defs), set(facts.async_defs)) == (set(), {"aget", "first"})
    names = compiled.names(_module(tmp_path, text), "mod")
    if sys.version_info[:2] == (3, 11):
        assert names is None
    if names is not None:
        assert (names.defs, names.async_defs) == (set(), {"aget", "first"})


@pytest.mark.parametrize("text, read", [
    # what bytecode cannot show as an alias, which the parser leaves out too
    ("class A:\n    async def __ping(self): pass\n    handler = __ping\n", True),
    ("class A:\n    async def ping(self): pass\n    global handler\n    handler = ping\n",
     True),
    ("class A:\n    async def ping(self): pass\n    __module__ = ping\n", True),
    ("def configure(h):\n    global handler\n    handler = h\n"
     "async def ping(): pass\nhandler = ping\n", True),
    # no def at the end, whichever way the compiler lays it out
    ("class A:\n    async def ping(self): pass\n    x = None if ping else 1\n", True),
    ("class A:\n    async def ping(self): pass\n    x = ping or None\n    y = 1\n", True),
], ids=["private", "global-in-class", "module-attribute", "global-in-a-def",
        "conditional", "or"])
def test_what_is_no_alias_reads_alike_either_way(tmp_path: Path, text: str,
                                                 read: bool | None) -> None:
    """Where bytecode is read, its names are the parser's (read: it must be)."""
    names = compiled.names(_module(tmp_path, text), "mod")
    if read:
        assert names is not None
    facts = build(ast.parse(text), "mod", False)
    assert names is None or (names.defs, names.async_defs) == (
        set(facts.defs), set(facts.async_defs))


@pytest.mark.parametrize("text", [
    "if False:\n    import hidden\n",  # compiled to nothing
    "if 0:\n    def hidden(): pass\n",
    "if not __debug__:\n    import hidden\n",
    "if True:\n    pass\nelse:\n    import hidden\n",
    "if (\n    False  # a comment\n):\n    import hidden\n",
    "if 2:\n    pass\nelse:\n    import hidden\n",
    "if not (True):\n    import hidden\n",
    "if -0.0:\n    import hidden\n",
    "if '':\n    import hidden\n",
    "x = 1\nelif_ = 0\nwhile not 1:\n    import hidden\n",
    "while '' '':\n    def hidden(): pass\n",
    "if \\\n        0:\n    import hidden\n",
    "while (  # why\n    # not yet\n    0\n):\n    import hidden\n",
], ids=["if-false", "if-0", "debug", "else-of-true", "spread", "if-2", "not-bracketed",
        "signed-float", "empty-string", "while-not-1", "while-empty-strings",
        "continued", "commented"])
def test_what_the_compiler_changes_is_left_to_the_parser(tmp_path: Path, text: str) -> None:
    assert compiled.names(_module(tmp_path, text), "mod") is None


@pytest.mark.parametrize("text", [
    "def f(o):\n    if 0x20 <= o < 0x7F:\n        import wide\n",  # a comparison
    '"""bf if True will search breadth first"""\nimport os\n',  # prose, no colon after
    "PYC = '.py' + ((__debug__ and 'c') or 'o')\n",  # a value, no branch
    "while True:\n    break\nimport os\n",  # a true `while` drops no body
    "if x0:\n    import os\n",
], ids=["comparison", "prose", "debug-value", "while-true", "name"])
def test_a_test_that_is_no_constant_keeps_the_cache_file(tmp_path: Path, text: str) -> None:
    names = compiled.names(_module(tmp_path, text), "mod")
    assert names is not None
    facts = build(ast.parse(text), "mod", False)
    assert (names.defs, names.async_defs, set(names.modules)) == (
        set(facts.defs), set(facts.async_defs), set(facts.modules))


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type statements: 3.12+")
@pytest.mark.parametrize("text", ["type Alias = int\n", "def f[T: int](x: T): pass\n",
                                  "class C:\n    type Inner = str\n"])
def test_type_aliases_and_parameters_are_left_to_the_parser(tmp_path: Path, text: str) -> None:
    assert compiled.names(_module(tmp_path, text), "mod") is None


def test_a_cache_file_the_interpreter_would_not_use_is_not_used(tmp_path: Path) -> None:
    path = _module(tmp_path, "def f(): pass\n")
    assert compiled.names(path, "mod") is not None
    Path(path).write_text("def g(): pass\n")  # the same size, changed after the cache file
    old = time.time() - 30
    os.utime(path, (old, old))
    assert compiled.names(path, "mod") is None
    os.utime(path)  # changed just now: not trusted even if the stamp matched
    assert compiled.names(_module(tmp_path, "def g(): pass\n", name="fresh"), "fresh")
    fresh = tmp_path / "fresh.py"
    os.utime(fresh)
    assert compiled.names(str(fresh), "fresh") is None


def test_hash_stamped_cache_files(tmp_path: Path) -> None:
    checked = _module(tmp_path, "async def f(): pass\n",
                      py_compile.PycInvalidationMode.CHECKED_HASH, name="checked")
    assert compiled.names(checked, "checked") == compiled.Names(
        frozenset(), frozenset({"f"}), ())
    Path(checked).write_text("def f(): pass\n")
    assert compiled.names(checked, "checked") is None
    unchecked = _module(tmp_path, "def f(): pass\n",
                        py_compile.PycInvalidationMode.UNCHECKED_HASH, name="unchecked")
    assert compiled.names(unchecked, "unchecked") is None


def test_the_search_in_reach_finds_the_same_names_either_way(monkeypatch) -> None:
    def search() -> tuple[int, dict[str, bool]]:
        resolver.new_run()
        modules.configure(None, False)
        with modules.scope(sys.path):
            found = reach.reach(["pytest", "asyncio", "unittest.mock"])
            assert found is not None
            answers = {f"{name} {is_async}": reach.defines(name, is_async, found)
                       for name in ("fixture", "sleep", "wait_for", "main", "run",
                                    "call_soon", "_run_once", "__aenter__", "aclose")
                       for is_async in (False, True)}
            return len(modules._names), answers

    read, by_bytecode = search()
    assert read > 50
    monkeypatch.setattr(compiled, "SUPPORTED", False)
    _, by_source = search()
    assert by_bytecode == by_source
    assert by_source["sleep True"] and by_source["fixture False"]
    assert not by_source["fixture True"]
    resolver.new_run()


def test_code_that_can_never_run_is_not_read(tmp_path: Path) -> None:
    """The one way the readers differ (see compiled.py): a def after a `raise` compiles to
    nothing, as it never exists when the module runs; the parser still counts it."""
    text = "def f():\n    raise NotImplementedError\n    async def hidden(): pass\n"
    names = compiled.names(_module(tmp_path, text), "mod")
    assert names == compiled.Names(frozenset({"f"}), frozenset(), ())
    assert build(ast.parse(text), "mod", False).async_defs == ["hidden"]


BINDS = """\
import os.path
from json import loads as parse
from . import sibling
NAME = 1
first, *rest = (1, 2)
for item in ():
    pass
try:
    pass
except OSError as error:
    pass
with open(os.devnull) as handle:
    pass
if (found := 2):
    pass
class Registry:
    global late
    late = 1
class Box:
    def get(self, loop):
        return loop.create_task(self.get)
def setup():
    global configured
    configured = True
async def fetch():
    return Box().get(None)
"""


def test_what_a_module_may_bind_from_bytecode(tmp_path: Path) -> None:
    """Every name a statement of the module binds is among what its bytecode says it may
    bind; an attribute only a def's body uses (`loop.create_task`) is not."""
    path = _module(tmp_path, BINDS)
    found = compiled.bindings(path)
    assert found is not None
    bound = {"os", "parse", "sibling", "NAME", "first", "rest", "item", "error", "handle",
             "found", "Registry", "Box", "late", "setup", "configured", "fetch"}
    assert bound <= found
    assert set(build(ast.parse(BINDS), "pkg.mod", False).kinds) <= found
    assert not {"create_task", "get", "loop", "self"} & found


def test_a_missing_bytecode_cache_is_a_read_the_answer_rests_on(tmp_path: Path) -> None:
    """Without a cache file the answer is None (unsure); the missing file is logged, so
    that once the interpreter writes it (a first import after an install that compiled
    nothing), findings kept on the unsure answer are not reused."""
    from flake8_async_tests import reads

    path = _module(tmp_path, "def f():\n    pass\n")
    cached = importlib.util.cache_from_source(path)
    os.remove(cached)
    reads.new_run()
    assert compiled.bindings(path) is None
    [entry] = [e for e in reads.log() if e[1] == cached]
    assert entry == ("f", cached, None) and reads.holds(entry)
    py_compile.compile(path, doraise=True)
    assert not reads.holds(entry)
    assert compiled.bindings(path) == frozenset({"f"})


@pytest.mark.parametrize("text", [
    "from os.path import *\n",
    "globals()['name'] = 1\n",
    "import sys\nsetattr(sys.modules[__name__], 'name', 1)\n",
    "exec('name = 1')\n",
    "def __getattr__(name):\n    return name\n",
    "import sys\ndef late():\n    sys.modules[__name__].__dict__['name'] = 1\n",
    "def late():\n    vars()['name'] = 1\n",
], ids=["star-import", "globals", "setattr", "exec", "module-getattr", "dict", "vars"])
def test_a_module_that_may_bind_any_name_gives_none(tmp_path: Path, text: str) -> None:
    assert compiled.bindings(_module(tmp_path, text)) is None


def test_installed_modules_bind_no_name_their_bytecode_leaves_out() -> None:
    """What the parser reads a module to bind (`facts.kinds`) is among what its bytecode
    says it may bind, for every installed module of the corpus read from bytecode."""
    read = 0
    for path, name in _modules():
        found = compiled.bindings(path)
        if found is None:
            continue
        read += 1
        source = Path(path).read_bytes()
        facts = build(ast.parse(source), name, path.endswith("__init__.py"), source)
        assert set(facts.kinds) <= found, (name, set(facts.kinds) - found)
    assert read > 200


def test_a_name_star_imported_is_followed_only_where_it_may_be_bound(read) -> None:
    """`asyncio.create_task`: asyncio's `__init__` star-imports twenty modules; the one
    whose bytecode may bind the name (asyncio.tasks) is read, not the others."""
    import asyncio.base_events
    if not os.path.exists(importlib.util.cache_from_source(asyncio.base_events.__file__)):
        pytest.skip("the standard library has no bytecode cache here")
    modules.new_run()
    with modules.scope(["."], cached=False):
        assert resolver.kinds_of("asyncio.create_task") == frozenset({"def"})
        assert resolver.kinds_of("asyncio.Event.wait") == frozenset({"async def"})
    modules.new_run()
    assert read == ["asyncio", "asyncio.tasks", "asyncio.locks", "asyncio.mixins"]


def test_names_read_from_bytecode_are_kept_while_both_files_are_as_they_were(
        tmp_path: Path, monkeypatch) -> None:
    """What compiled.names gives is kept in the disk cache, with the source's mtime and size
    and the cache file's inode, mtime, size, magic number and flags: a later run reads it
    back without reading either file, and reads both again once one of them is another."""
    from flake8_async_tests import cachedb

    site = tmp_path / "site"
    site.mkdir()
    path = _module(site, "def f(): pass\n")
    cache = str(tmp_path / "cache")

    def compile_settled() -> None:  # (a cache file written just now may change unseen)
        py_compile.compile(path, doraise=True)
        old = time.time() - 10
        os.utime(importlib.util.cache_from_source(path), (old, old))

    compile_settled()

    def run() -> compiled.Names | None:
        modules.new_run()
        cachedb.new_run()
        modules.configure(cache, True)
        try:
            with modules.scope([str(site)], str(tmp_path)):
                return modules.names("mod")
        finally:
            cachedb.flush()
            modules.configure(None, True)

    read = []
    real = compiled.names

    def reading(*args):
        read.append(args)
        return real(*args)

    monkeypatch.setattr(compiled, "names", reading)
    f = compiled.Names(frozenset({"f"}), frozenset(), ())
    assert (run(), len(read)) == (f, 1)
    assert (run(), len(read)) == (f, 1)  # kept
    compile_settled()  # the same text: another cache file
    assert (run(), len(read)) == (f, 2)
    Path(path).write_text("def g(): pass\n")  # the same size
    old = time.time() - 30
    os.utime(path, (old, old))
    parsed = run()  # (a stale cache file: None, and the source is parsed)
    assert not isinstance(parsed, compiled.Names) and parsed.defs == ["g"] and len(read) == 3
    compile_settled()
    g = compiled.Names(frozenset({"g"}), frozenset(), ())
    assert (run(), len(read)) == (g, 4)
    assert (run(), len(read)) == (g, 4)
    os.utime(path)  # changed just now: nothing kept, as the cache file may predate it
    run()
    run()
    assert len(read) == 6
    py_compile.compile(path, doraise=True)  # settled source, cache file written just now
    run()
    run()
    assert len(read) == 8
    # A cache file stamped with the source's hash holds while the text does, whatever the
    # mtime says: never kept (an edit of the same size, the mtime put back, is seen).
    old = time.time() - 30
    os.utime(path, (old, old))
    py_compile.compile(path, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    os.utime(importlib.util.cache_from_source(path), (old, old))
    assert (run(), len(read)) == (g, 9)
    stat = os.stat(path)
    Path(path).write_text("def h(): pass\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    parsed = run()
    assert not isinstance(parsed, compiled.Names) and parsed.defs == ["h"] and len(read) == 10
    modules.new_run()
    cachedb.new_run()
