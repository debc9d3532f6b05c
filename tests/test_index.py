"""The index reads what modules define from source alone, answers None (or unknown) when
unsure, and keeps its facts on disk without ever changing an answer."""

from __future__ import annotations

import ast
import asyncio
import importlib
import importlib.machinery
import json
import os
import re
import sqlite3
import sys
import textwrap
import warnings

import pytest

from flake8_async_tests import cachedb
from flake8_async_tests.index import finder, modules, reach, resolver, stdlib, store
from flake8_async_tests.index.defs import ASYNC_DEF, DECORATED, DEF, mixed_return
from flake8_async_tests.index.facts import build

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]  # the supported versions (pyproject classifiers)

FILES = {
    "shop/__init__.py": "from .client import Client\nfrom . import models\n",
    "shop/models.py": "class Model:\n    pass\n",
    "shop/client.py": '''
        import typing
        from typing import overload

        from .base import Base, Dynamic

        RETRIES = 3


        def helper():
            return 1


        async def fetch():
            return 1


        @cache
        async def cached():
            return 1


        class Client(Base, typing.Generic[int]):
            timeout = 1

            async def get(self):
                return 1

            @overload
            def put(self, x: int) -> int: ...

            def put(self, x):
                return x

            @staticmethod
            def make():
                return Client()


        class Child(Dynamic):
            def get(self):
                return 2
    ''',
    "shop/base.py": '''
        import abc

        import pytest


        @pytest.mark.usefixtures("db")
        class Base(abc.ABC):
            def close(self):
                pass

            async def get(self):
                return 0

            def ping(self):
                pass


        class Dynamic:
            def __getattr__(self, name):
                return name
    ''',
    "shop/starry.py": "from os.path import *\n",
    # A module that may rebind what it defines: its functions and classes are unknown.
    "shop/rebound.py": "def helper():\n    pass\n\n\nfrom os.path import *\n",
    # Bound two ways: no single value.
    "shop/maybe.py": ("try:\n    from .client import Client\nexcept ImportError:\n"
                      "    Client = None\n"),
    "shop/family.py": '''
        import unittest

        import pytest

        from .base import Base


        class Cycle(Loop):
            pass


        class Loop(Cycle):
            pass


        class Left(Base):
            pass


        class Right(Base):
            def __init__(self):
                self.ready = True


        class Diamond(Left, Right):
            pass


        class Case(unittest.IsolatedAsyncioTestCase):
            pass


        @pytest.mark.slow
        class Marked(Base):
            pass
    ''',
    # typing's aliases stand for the classes they name (collections.abc's here).
    "shop/jar.py": ("import typing\n\n\nclass Jar(typing.MutableMapping[str, str]):\n"
                    "    def delete(self, name):\n        pass\n\n"
                    "    async def load(self):\n        pass\n"),
    # Class decorators the resolver follows (those that return the class they get).
    "shop/decorators.py": '''
        REGISTRY = []


        def experimental(cls):
            original = cls.__init__

            def new_init(self, *args):
                print(cls.__name__)
                return original(self, *args)

            cls.__init__ = new_init
            return cls


        def register(cls):
            REGISTRY.append(cls)
            return cls


        def swap(cls):
            return object


        def factory():
            return experimental
    ''',
    "shop/decorated.py": '''
        from . import decorators
        from .decorators import experimental, factory, register, swap


        @experimental
        class Kept:
            def __init__(self):
                pass

            async def fetch(self):
                pass


        @decorators.experimental
        class Dotted:
            def close(self):
                pass


        @register
        class Registered:
            def close(self):
                pass


        @swap
        class Swapped:
            def close(self):
                pass


        @factory()
        class Made:
            def close(self):
                pass
    ''',
    "shop/aliases.py": '''
        import shop.client
        from .client import Client, fetch


        class Legacy:
            async def fetch(self):
                pass

            def close(self):
                pass


        StrictLegacy = Legacy  # an old name kept for callers
        Older = StrictLegacy  # an alias of the alias
        fetch_alias = fetch
        ClientAlias = shop.client.Client
        Twice = Legacy
        Twice = Client  # bound twice: no single value
        Moved = Legacy
        Rebound = Client


        class Combined(StrictLegacy):  # a base spelled through an alias
            pass


        class Shaky(Twice):  # through an alias bound twice
            pass


        def move():
            global Moved
            Moved = Client  # a function may rebind it


        if shop:
            Maybe = Legacy  # not at the top level
        Client = Legacy  # the aliased name is bound twice
        Rebound = Legacy  # bound after use: no single value either
    ''',
    "shop/patched.py": ("class Service:\n    def get(self):\n        pass\n\n\n"
                        "setattr(Service, 'get', None)\n"),
}


def _indexed(tmp_path, files: dict[str, str]):
    """The files written under tmp_path, the index answering from them (no cache)."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    resolver.new_run()
    modules.configure(None, use_cache=False)
    with modules.scope([str(tmp_path)]):
        yield tmp_path
    modules.configure(None, use_cache=True)
    resolver.new_run()


@pytest.fixture()
def project(tmp_path):
    yield from _indexed(tmp_path, FILES)


@pytest.mark.parametrize("owner,attr,present", [
    ("shop.client", "helper", True),
    ("shop.client", "RETRIES", True),
    ("shop.client", "Base", True),  # imported names are bound too
    ("shop.client", "nothing", False),
    ("shop", "models", True),  # a submodule of a package
    ("shop", "Client", True),
    ("shop.Client", "timeout", True),  # followed through the package's import
    ("shop.Client", "close", True),  # inherited from Base
    ("shop.client.Child", "anything", False),  # an ancestor with __getattr__: unknown
    ("shop.starry", "join", False),  # a star import: unknown, never "present"
    ("shop.client.typing", "overload", True),  # a module the client imports
    ("shop.client.typing", "nothing", False),
    ("shop.client.overload", "anything", False),  # imported, but no module
    ("socket.socket", "bind", True),  # from its base in C (_socket.socket), imported
    ("socket.socket", "nothing", False),
])
def test_attribute(project, owner, attr, present):
    import socket  # noqa: F401 (the live module a C base is read from)

    expected = resolver.PRESENT if present else resolver.UNKNOWN
    assert resolver.attribute(owner, attr) == expected


def test_a_c_base_is_read_only_from_a_module_already_imported(project, monkeypatch):
    """Nothing is imported to read a C base class: where the process has not imported its
    module, the answer is astroid's to give (unknown here)."""
    monkeypatch.delitem(sys.modules, "_socket", raising=False)
    assert resolver.attribute("socket.socket", "bind") == resolver.UNKNOWN
    assert "_socket" not in sys.modules


@pytest.mark.parametrize("dotted,kinds", [
    ("shop.client.helper", {DEF}),
    ("shop.client.fetch", {ASYNC_DEF}),
    ("shop.client.cached", {DECORATED}),
    ("shop.client.RETRIES", None),  # not a function
    ("shop.Client.put", {DEF}),  # the overload stub is skipped
    ("shop.Client.make", {DEF}),  # staticmethod keeps it as written
    ("shop.Client.get", {ASYNC_DEF}),  # own and inherited definitions agree
    ("shop.Client.close", {DEF}),  # inherited through Base (a class marked by pytest)
    ("shop.Client.ping", {DEF}),
    ("shop.Client.missing", None),
    ("shop.client.Child.get", None),  # an ancestor with __getattr__
    ("shop.models.Model.x", None),
    ("nowhere.thing", None),
    ("shop.rebound.helper", None),  # a star import after it may replace it
    ("shop.patched.Service.get", None),  # setattr in its module may replace it
    ("shop.decorated.Kept.fetch", {ASYNC_DEF}),  # its decorator returns it
    ("shop.decorated.Kept.__init__", None),  # which the decorator replaced
    ("shop.decorated.Dotted.close", {DEF}),
    ("shop.decorated.Registered.close", None),  # handed to other code first
    ("shop.decorated.Swapped.close", None),  # another value
    ("shop.decorated.Made.close", None),  # a decorator made by a call
    ("shop.jar.Jar.delete", {DEF}),
    ("shop.jar.Jar.load", {ASYNC_DEF}),
    ("shop.jar.Jar.pop", {DEF}),  # from collections.abc.MutableMapping
])
def test_kinds_of(project, dotted, kinds):
    found = resolver.kinds_of(dotted)
    assert (set(found) if found is not None else None) == kinds


@pytest.mark.parametrize("dotted,kinds", [
    ("shop.aliases.StrictLegacy.fetch", {ASYNC_DEF}),
    ("shop.aliases.StrictLegacy.close", {DEF}),
    ("shop.aliases.Older.fetch", {ASYNC_DEF}),
    ("shop.aliases.fetch_alias", {ASYNC_DEF}),
    ("shop.aliases.ClientAlias.get", {ASYNC_DEF}),
    ("shop.aliases.Twice.close", None),
    ("shop.aliases.Moved.close", None),
    ("shop.aliases.Maybe.close", None),
    ("shop.aliases.Rebound.close", None),
    ("shop.aliases.Combined.fetch", {ASYNC_DEF}),
    ("shop.aliases.Shaky.close", None),
])
def test_module_level_aliases_are_followed_when_bound_once(project, dotted, kinds):
    """`StrictRedis = Redis`: an alias bound once at the top level of its module, to a
    name bound once there, stands for what that name does; any other binding of either
    (twice, under `if`, `global` in a function) leaves it unknown."""
    found = resolver.kinds_of(dotted)
    assert (set(found) if found is not None else None) == kinds


@pytest.mark.parametrize("alias,defined", [
    ("StrictLegacy", "shop.aliases.Legacy"),
    ("Older", "shop.aliases.Legacy"),
    ("ClientAlias", "shop.client.Client"),
    ("Twice", None),
    ("Moved", None),
    ("Maybe", None),
    ("Rebound", None),
])
def test_a_class_alias_is_read_as_its_class(project, alias, defined):
    classes = resolver.class_ancestors(f"shop.aliases.{alias}")
    assert (next(iter(classes)) if classes is not None else None) == defined
    present = resolver.attribute(f"shop.aliases.{alias}", "fetch" if "Legacy" in (
        defined or "") else "get")
    assert present == (resolver.PRESENT if defined else resolver.UNKNOWN)


def test_a_base_class_spelled_through_an_alias_is_read(project):
    """`AsyncACLCommands = ACLCommands`, then `class Redis(AsyncACLCommands)`: the base is
    the aliased class; through an alias bound twice, the class is unknown."""
    classes = resolver.class_ancestors("shop.aliases.Combined")
    assert classes is not None and list(classes) == ["shop.aliases.Combined",
                                                     "shop.aliases.Legacy"]
    assert resolver.class_ancestors("shop.aliases.Shaky") is None


def test_a_name_bound_two_ways_is_unknown(project):
    assert resolver.kinds_of("shop.maybe.Client.get") is None
    assert resolver.attribute("shop.maybe.Client", "get") == resolver.UNKNOWN
    assert resolver.attribute("shop.maybe", "Client") == resolver.PRESENT  # bound, somehow


def test_class_ancestors(project):
    diamond = resolver.class_ancestors("shop.family.Diamond")
    assert set(diamond) == {"shop.family.Diamond", "shop.family.Left", "shop.family.Right",
                            "shop.base.Base"}
    assert diamond["shop.family.Right"].self_names == ["ready"]
    assert "__init__" in diamond["shop.family.Right"].kinds
    assert resolver.class_ancestors("shop.family.Cycle") is None  # Python cannot build it
    # the standard library's lazy name is followed to where it is defined
    case = resolver.class_ancestors("shop.family.Case")
    assert {"unittest.async_case.IsolatedAsyncioTestCase", "unittest.case.TestCase"} <= set(case)
    assert resolver.class_ancestors("shop.family.Marked")["shop.family.Marked"].marked
    assert diamond["shop.base.Base"].marked  # @pytest.mark.usefixtures("db")
    assert resolver.class_ancestors("shop.client.Child") is None  # __getattr__ in Dynamic


def test_the_definition_that_wins_is_reported(project, tmp_path):
    """A class's own def wins over its base's async def, and so does a def of a class
    that derives from every other class defining the name, wherever the MRO puts the
    rest (Diamond: Diamond, Left, Sync, Base). Where no definition is sure to win
    (unrelated mixins: their order decides), every way is reported."""
    (tmp_path / "shop" / "mixed.py").write_text(textwrap.dedent('''
        from .base import Base

        class Sync(Base):
            def get(self):
                return 1

        class Left(Base):
            pass

        class Diamond(Left, Sync):
            pass

        class Other:
            def get(self):
                return 2

        class Mixed(Base, Other):
            pass
    '''), encoding="utf-8")
    assert resolver.kinds_of("shop.base.Base.get") == {ASYNC_DEF}
    assert resolver.kinds_of("shop.mixed.Sync.get") == {DEF}
    assert resolver.kinds_of("shop.mixed.Diamond.get") == {DEF}
    assert resolver.kinds_of("shop.mixed.Left.get") == {ASYNC_DEF}
    assert resolver.kinds_of("shop.mixed.Mixed.get") == {DEF, ASYNC_DEF}
    assert resolver.coroutine_signature("shop.mixed.Left.get", True) is not None
    assert resolver.coroutine_signature("shop.mixed.Diamond.get", True) is None


def test_seeded_tree_wins_over_the_file_on_disk(project, tmp_path):
    tree = ast.parse("async def helper():\n    pass\n")
    modules.seed(str(tmp_path / "shop" / "client.py"), "shop.client", tree)
    assert resolver.kinds_of("shop.client.helper") == {ASYNC_DEF}


def test_a_seeded_tree_that_rewrites_itself_is_unknown(project, tmp_path):
    tree = ast.parse("def helper():\n    pass\n\n\nglobals()['helper'] = None\n")
    modules.seed(str(tmp_path / "shop" / "client.py"), "shop.client", tree)
    assert resolver.kinds_of("shop.client.helper") is None


def test_reach_follows_imports_transitively(project, tmp_path):
    (tmp_path / "app.py").write_text("import shop.client\n", encoding="utf-8")
    found = reach.reach(["app"])
    names = {name for _, name in found}
    # shop/__init__ (a parent), shop.client, shop.base through its relative import, and
    # what those import (typing, pytest, ...)
    assert {"app", "shop", "shop.client", "shop.base", "shop.models", "pytest"} <= names
    for name, is_async in (("fetch", True), ("get", True), ("helper", False),
                           ("close", False), ("__getattr__", False)):
        assert reach.defines(name, is_async, found)
    assert not reach.defines("helper", True, found)
    assert not reach.defines("no_such_function_anywhere", False, found)
    (tmp_path / "alone.py").write_text("def solo():\n    pass\n", encoding="utf-8")
    resolver.new_run()  # directories are listed once per run
    alone = reach.reach(["alone"])
    assert {name for _, name in alone} == {"alone"}
    assert reach.defines("solo", False, alone)
    assert not reach.defines("fetch", True, alone)  # defined, but not in reach


def test_reach_reads_other_modules_first_where_another_worker_reads_one(
        tmp_path, monkeypatch):
    """With a disk cache, a module another worker claimed is read at the end of the walk
    (by then its entry is there, or it is built here after WAIT_SECONDS): the two workers
    read different modules meanwhile, and the reach is the same. (Only a module of
    CLAIM_BYTES or more is claimed: base.py is made that large.)"""
    large = "# " + "x" * modules.CLAIM_BYTES + "\nasync def fetch():\n    pass\n"
    for name, text in {"app.py": "import shop.client\n", "shop/__init__.py": "",
                       "shop/client.py": "from . import base\nimport shop.models\n",
                       "shop/base.py": large,
                       "shop/models.py": "def helper():\n    pass\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(store, "WAIT_SECONDS", 0.05)
    resolver.new_run()
    modules.configure(str(tmp_path / "cache"), use_cache=True)
    order: list[str] = []
    read = modules._read
    monkeypatch.setattr(modules, "_read", lambda path, name, wait=True: (
        order.append(f"{name}{'' if wait else '?'}"), read(path, name, wait))[1])
    try:
        with modules.scope([str(tmp_path)], cached=False):  # nothing claimed
            alone = set(reach.reach(["app"]))
        resolver.new_run()
        with modules.scope([str(tmp_path)], str(tmp_path)):
            other = store.Store(str(tmp_path / "cache"))  # another worker's, claiming base
            assert other.claim(str(tmp_path / "shop" / "base.py"), "shop.base")
            assert modules.module_or_later("shop.base") is modules.LATER
            order.clear()
            found = reach.reach(["app"])
            assert reach.defines("fetch", True, found) and reach.defines("helper", False, found)
    finally:
        modules.configure(None, use_cache=True)
        resolver.new_run()
    assert set(found) == alone  # the same reach
    assert {name for _, name in found} >= {
        "app", "shop", "shop.client", "shop.base", "shop.models"}
    assert order.index("shop.models?") < order.index("shop.base?") < order.index("shop.base")
    assert order[-1] == "shop.base"  # asked again last, waiting this time


def test_a_small_module_is_built_without_a_claim(tmp_path):
    """A module under CLAIM_BYTES is built at once even where another worker claimed it
    (building it twice costs less than claiming it), and its entry is written with the
    linted file's transaction, when the file is done."""
    (tmp_path / "small.py").write_text("async def fetch():\n    pass\n", encoding="utf-8")
    resolver.new_run()
    modules.configure(str(tmp_path / "cache"), use_cache=True)
    try:
        with modules.scope([str(tmp_path)], str(tmp_path)):
            other = store.Store(str(tmp_path / "cache"))
            assert other.claim(str(tmp_path / "small.py"), "small")
            found = modules.module_or_later("small")
            assert found is not modules.LATER and found.async_defs == ["fetch"]
            assert other.load(str(tmp_path / "small.py"), "small",
                              os.stat(tmp_path / "small.py")) is None  # not yet: with the file
            cachedb.flush()  # (when the file is done)
            assert other.load(str(tmp_path / "small.py"), "small",
                              os.stat(tmp_path / "small.py")) == found
    finally:
        modules.configure(None, use_cache=True)
        resolver.new_run()


def test_the_standard_library_is_one_key_from_the_shipped_table(project, tmp_path):
    (tmp_path / "uses_json.py").write_text("import json\n", encoding="utf-8")
    found = reach.reach(["uses_json"])
    assert reach.STDLIB in found
    assert reach.defines("loads", False, found)  # json.loads, from the table
    assert reach.defines("sleep", True, found)  # asyncio.sleep: asyncio is in reach
    assert not reach.defines("loads", True, found)
    # json's modules were not read: the table answered for them
    assert not any(name.split(".")[0] == "json" for _, name in modules._facts)


def test_a_package_left_out_of_the_table_is_read_from_source(project):
    found = reach.reach(["turtledemo"])
    assert {name for _, name in found} == {"turtledemo"}
    assert reach.STDLIB not in found


@pytest.mark.parametrize("written_from,async_in_table", [(True, True), (False, False)])
def test_on_another_patch_release_the_async_packages_are_read_from_source(
        monkeypatch, written_from, async_in_table):
    asyncio_file = os.path.join(os.path.dirname(asyncio.__file__), "tasks.py")
    json_file = os.path.join(os.path.dirname(json.__file__), "decoder.py")
    with open(stdlib.TABLE, encoding="utf-8") as handle:
        release = json.load(handle)["pythons"][0] if written_from else "3.0.0"
    monkeypatch.setattr(stdlib.platform, "python_version", lambda: release)
    stdlib._load.cache_clear()
    try:
        assert stdlib.in_table(asyncio_file) is async_in_table
        assert stdlib.in_table(json_file)
    finally:
        monkeypatch.undo()
        stdlib._load.cache_clear()


def test_which_files_the_table_holds():
    json_file = os.path.join(os.path.dirname(json.__file__), "decoder.py")
    left_out = os.path.join(os.path.dirname(os.__file__), "idlelib", "run.py")
    assert stdlib.in_table(json_file)
    assert not stdlib.in_table(left_out)
    assert not stdlib.in_table(pytest.__file__)  # installed, not the standard library


@pytest.mark.parametrize("version", PYTHONS)
def test_a_table_ships_for_every_supported_python(version):
    with open(os.path.join(os.path.dirname(stdlib.TABLE), f"stdlib-{version}.json"),
              encoding="utf-8") as handle:
        data = json.load(handle)
    assert "sleep" in data["async_defs"] and "loads" in data["defs"]


@pytest.mark.skipif(stdlib.VERSION not in PYTHONS, reason="no table for this Python")
def test_the_table_holds_every_name_of_this_interpreters_standard_library():
    defs, async_defs, async_tops = stdlib.scan()
    shipped = stdlib.table()
    assert shipped is not None
    assert not defs - shipped[0], "run scripts/stdlib_names.py with this Python"
    assert not async_defs - shipped[1], "run scripts/stdlib_names.py with this Python"
    # what is read from source on a patch release the table was not written from
    assert async_tops <= stdlib.ASYNC_PACKAGES


# -- the finder -------------------------------------------------------------------------


def test_finder_tells_where_an_extension_module_is_found(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "fast").mkdir(parents=True)  # a namespace portion: the search goes on
    second.mkdir()
    (second / ("fast" + importlib.machinery.EXTENSION_SUFFIXES[0])).write_text("")
    (first / "slow.py").write_text("")
    (second / ("slow" + importlib.machinery.EXTENSION_SUFFIXES[0])).write_text("")
    finder.new_run()
    roots = (str(first), str(second))
    assert finder.extension_place("fast", roots) == str(second)
    assert finder.extension_place("slow", roots) is None  # the .py module comes first
    assert finder.locate("fast", roots) is None


def test_finder_takes_the_first_root_and_prefers_packages(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    (first / "pkg").mkdir(parents=True)
    (first / "pkg" / "__init__.py").write_text("")
    (first / "pkg" / "mod.py").write_text("")
    (first / "pkg.py").write_text("")  # the package wins in the same directory
    (second / "pkg").mkdir(parents=True)
    (second / "pkg" / "__init__.py").write_text("")
    (second / "pkg" / "other.py").write_text("")
    (second / "ns" / "part").mkdir(parents=True)
    (second / "ns" / "part" / "leaf.py").write_text("")
    (second / "native.cpython-311-x86_64-linux-gnu.so").write_text("")
    finder.new_run()
    roots = (str(first), str(second))
    assert finder.locate("pkg", roots) == str(first / "pkg" / "__init__.py")
    assert finder.locate("pkg.mod", roots) == str(first / "pkg" / "mod.py")
    assert finder.locate("pkg.other", roots) is None  # the first pkg hides the second
    assert finder.locate("ns.part.leaf", roots) == str(second / "ns" / "part" / "leaf.py")
    assert finder.locate("ns", roots) is None  # a namespace package has no file
    assert finder.locate("native", roots) is None  # an extension module
    assert finder.locate("missing.thing", roots) is None


# -- the cache on disk ------------------------------------------------------------------


def _facts_of(text: str, name: str = "m"):
    return build(ast.parse(textwrap.dedent(text)), name, False)


MIXED = """
    def made_three_ways(cls, cluster, single):
        if not cluster:
            client = cls(pool=1)
        else:
            client = Cluster.from_url("x")
        if single:
            client = client.client()
        return client

    def two_returns(flag):
        if flag:
            return Manager()
        return Store()

    def one_class_each_way(flag):
        if flag:
            client = Client(1)
        else:
            client = Client(2)
        return client

    def one_class_two_returns(flag):
        if flag:
            return Client(1)
        return Client(2)

    def bound_once():
        client = Client()
        return client

    def a_parameter(client, flag):
        if flag:
            client = Client()
        return client

    def unpacked(pair):
        client, other = pair
        client = Client()
        return client

    def falls_through(flag):
        if flag:
            client = Client()
        else:
            client = Store()
        return client
        print("never")

    def a_generator(flag):
        client = Client() if flag else None
        client = Store()
        yield client
        return client

    async def awaited(flag):
        if flag:
            client = Client()
        else:
            client = Store()
        return client

    def other_return(flag):
        if flag:
            client = Client()
        else:
            client = Store()
            return None
        return client
"""


def test_what_a_def_returns_bound_several_ways():
    """defs.mixed_return: a def whose every `return` gives one local bound more than once
    to values that are not all calls of one name (redis's `_get_client`), or whose
    returns call different names, has no single return value; the lines say where."""
    found = {node.name: mixed_return(node) for node in ast.parse(textwrap.dedent(MIXED)).body}
    assert found == {
        "made_three_ways": ["client", [4, 6, 8]],
        "two_returns": ["", [13, 14]],
        "one_class_each_way": None,
        "one_class_two_returns": None,
        "bound_once": None,
        "a_parameter": None,
        "unpacked": ["client", [38, 39]],
        "falls_through": None,  # (ends with another statement)
        "a_generator": None,
        "awaited": None,  # (a coroutine function: awaiting it is another question)
        "other_return": None,
    }


def test_facts_round_trip_through_json():
    facts = _facts_of(FILES["shop/client.py"], "shop.client")
    assert type(facts).from_json(json.loads(json.dumps(facts.to_json()))) == facts


def test_store_uses_an_entry_only_for_the_same_file(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("async def f():\n    pass\n")
    cache = store.Store(str(tmp_path / "cache"))
    facts = _facts_of(source.read_text())
    stat = os.stat(source)
    cache.save(str(source), stat, source.read_bytes(), facts)
    assert cache.load(str(source), "m", stat) == facts
    assert cache.load(str(source), "other", stat) is None  # read under another name
    # touched, same content: holds once the content is compared
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    touched = os.stat(source)
    assert cache.load(str(source), "m", touched) is None
    assert cache.load(str(source), "m", touched, source.read_bytes()) == facts
    # changed, same size: another content hash
    source.write_text("async def g():\n    pass\n")
    changed = os.stat(source)
    assert cache.load(str(source), "m", changed, source.read_bytes()) is None
    # the folder ignores itself
    assert (tmp_path / "cache" / ".gitignore").read_text().endswith("*\n")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "empty", "not text"])
def test_a_damaged_entry_is_rebuilt(tmp_path, damage):
    source = tmp_path / "m.py"
    source.write_text("async def f():\n    pass\n")
    cache = store.Store(str(tmp_path / "cache"))
    stat = os.stat(source)
    facts = _facts_of(source.read_text())
    cache.save(str(source), stat, source.read_bytes(), facts)
    assert cache.load(str(source), "m", stat) == facts
    db = sqlite3.connect(cache.db.path)
    (text,) = db.execute("SELECT entry FROM modules").fetchone()
    damaged = {"garbage": b"\x00\xff not json", "truncated": text[:len(text) // 2],
               "foreign": json.dumps({"path": str(source), "name": "m", "size": stat.st_size,
                                      "mtime": stat.st_mtime_ns, "sha1": "", "facts": [1]}),
               "empty": "", "not text": b"\x00{"}[damage]
    with db:  # (garbage: bytes that are not UTF-8, in a text column)
        db.execute("UPDATE modules SET entry = CAST(? AS TEXT)" if damage == "garbage" else
                   "UPDATE modules SET entry = ?", (damaged,))
    db.close()
    assert cache.load(str(source), "m", stat) is None


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_is_made_again(tmp_path, damage):
    """A cache file that is not a database (garbage, or cut short) is made again: its
    entries miss, and new ones are written."""
    source = tmp_path / "m.py"
    source.write_text("async def f():\n    pass\n")
    stat = os.stat(source)
    facts = _facts_of(source.read_text())
    store.Store(str(tmp_path / "cache")).save(str(source), stat, source.read_bytes(), facts)
    cachedb.new_run()
    path = store.database(str(tmp_path / "cache")).path
    with open(path, "rb") as handle:
        data = handle.read()
    with open(path, "wb") as out:
        out.write(b"\x00 not a database " * 300 if damage == "garbage" else data[:100])
    cachedb.new_run()
    cache = store.Store(str(tmp_path / "cache"))
    assert cache.load(str(source), "m", stat) is None
    cache.save(str(source), stat, source.read_bytes(), facts)
    assert cache.writable and cache.load(str(source), "m", stat) == facts


def test_an_unwritable_cache_is_left_alone(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    cache = store.Store(str(blocker))
    source = tmp_path / "m.py"
    source.write_text("x = 1\n")
    cache.save(str(source), os.stat(source), source.read_bytes(), _facts_of("x = 1\n"))
    assert not cache.writable
    assert blocker.read_text() == "a file where the folder should be"


def test_a_read_only_cache_is_read_and_not_written(tmp_path):
    """A cache directory that cannot be written: nothing is written there, and reading it
    gives an entry or a miss, never an error."""
    source = tmp_path / "m.py"
    source.write_text("async def f():\n    pass\n")
    stat = os.stat(source)
    facts = _facts_of(source.read_text())
    folder = tmp_path / "cache"
    store.Store(str(folder)).save(str(source), stat, source.read_bytes(), facts)
    cachedb.new_run()
    before = sorted((p.name, p.stat().st_size) for p in folder.iterdir())
    folder.chmod(0o555)
    try:
        cache = store.Store(str(folder))
        cache.load(str(source), "m", stat)  # (an answer or a miss, never an error)
        cache.save(str(source), stat, source.read_bytes(), facts)
        cachedb.new_run()
    finally:
        folder.chmod(0o755)
    if os.geteuid() != 0:  # (root writes anywhere)
        assert sorted((p.name, p.stat().st_size) for p in folder.iterdir()) == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_worker_writes_through_a_connection_of_its_own(tmp_path):
    """flake8's -j workers are forked: a worker never uses (or closes) the connection its
    parent opened, and the parent's goes on working."""
    files = {name: tmp_path / f"{name}.py" for name in ("a", "b", "c")}
    for name, path in files.items():
        path.write_text(f"async def {name}():\n    pass\n")
    cache = store.Store(str(tmp_path / "cache"))

    def save(name):
        path = files[name]
        cache.save(str(path), os.stat(path), path.read_bytes(), _facts_of(path.read_text(), name))

    save("a")
    parent = cache.db._conn
    pid = os.fork()
    if pid == 0:  # the worker
        code = 1
        try:
            save("b")
            code = 0 if cache.db._conn is not parent and cache.writable else 1
        finally:
            os._exit(code)
    assert os.waitpid(pid, 0)[1] == 0
    save("c")
    assert cache.db._conn is parent
    for name, path in files.items():
        assert cache.load(str(path), name, os.stat(path)) == _facts_of(path.read_text(), name)


def _first_write(root, barrier, done):
    barrier.wait()
    done.put(cachedb.at(root, "cache.sqlite3").write(
        [("INSERT INTO logs (name, at) VALUES (?, ?)", (str(os.getpid()), 0.0))]))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_workers_making_the_database_at_once_all_write(tmp_path):
    """`-j` workers that save their first entries at the same moment all make (or open) the
    new database and write: none gives the cache up for the run. (SQLite answers "database
    is locked" at once, without its busy timeout, to a journal-mode change that meets
    another connection: in one round in ten here before it was asked again.)"""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(30):
        root = str(tmp_path / f"cache{round_}")
        barrier, done = context.Barrier(8), context.Queue()
        workers = [context.Process(target=_first_write, args=(root, barrier, done))
                   for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [done.get(timeout=1) for _ in workers] == [True] * 8, round_
        assert len(cachedb.at(root, "cache.sqlite3").rows("SELECT name FROM logs")) == 8
        cachedb.new_run()


def test_an_entry_another_worker_claimed_is_waited_for(tmp_path):
    """A worker about to build an entry claims it; another that finds the claim waits for
    the entry (another process writes it here, a moment later) instead of building the
    same facts; a claim left behind long ago by a worker that died is not waited for."""
    import subprocess
    import sys

    source = tmp_path / "m.py"
    source.write_text("async def f():\n    pass\n")
    stat = os.stat(source)
    first, second = (store.Store(str(tmp_path / "cache")) for _ in range(2))
    assert first.claim(str(source), "m") is True
    assert second.claim(str(source), "m") is False  # claimed: wait for it
    facts = _facts_of(source.read_text())
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f'''\
        import ast, os, time
        from flake8_async_tests.index import store
        from flake8_async_tests.index.facts import build
        time.sleep(0.2)
        source = {str(source)!r}
        text = open(source, "rb").read()
        cache = store.Store({str(tmp_path / "cache")!r})
        cache.save(source, os.stat(source), text, build(ast.parse(text), "m", False))
        cache.release(source, "m")
        ''')])
    try:
        assert second.wait(str(source), "m", stat, source.read_bytes()) == facts
    finally:
        writer.wait(timeout=60)
    assert first.db.rows("SELECT key FROM claims") == []  # released
    other = tmp_path / "n.py"
    other.write_text("x = 1\n")
    assert first.claim(str(other), "n") is True
    assert second.claim(str(other), "n") is False
    first.db.write([("UPDATE claims SET at = at - ?", (store.CLAIM_SECONDS + 1,))])
    assert second.claim(str(other), "n") is True  # a stale claim: built here


def test_a_def_that_returns_an_instance_of_its_own_class(tmp_path):
    """`def make(): ... class Stub(Base): ...; return Stub()` (inside `with` blocks too):
    the index names the class `make:Stub`, reads it as any class, and `make()` makes a
    Stub. A class whose base the def binds itself is left unknown."""
    files = {
        "shop/__init__.py": "",
        "shop/base.py": "class Base:\n    def __init__(self):\n        self.pool = None\n",
        "shop/stubs.py": '''
            from unittest import mock

            from .base import Base


            def make(*args):
                with mock.patch.object(Base, "__init__"):
                    class Stub(Base):
                        def extra(self):
                            pass
                    return Stub(*args)


            def make_local(base):
                Local = base

                class Stub(Local):
                    pass
                return Stub()
            ''',
    }
    for _ in _indexed(tmp_path, files):
        facts = modules.module("shop.stubs")
        assert facts.returns["make"] == "<made by> make:Stub"
        assert facts.returns["make_local"] == ""
        assert list(facts.classes) == ["make:Stub"]
        assert resolver.factory_class("shop.stubs.make") == "shop.stubs.make:Stub"
        assert resolver.kinds_of("shop.stubs.make:Stub.extra") == {DEF}
        assert set(resolver.class_ancestors("shop.stubs.make:Stub")) == {
            "shop.stubs.make:Stub", "shop.base.Base"}


def test_a_def_that_imports_the_class_it_makes(tmp_path):
    """`from pkg.mod import Cls` in the def itself, then `return Cls()` or a local bound to
    `Cls.__new__(Cls)`: the def makes a Cls (read by its absolute name). A relative import
    in the def is left unknown (the index reads defs without their module's name)."""
    files = {
        "shop/__init__.py": "",
        "shop/base.py": "class Base:\n    pass\n",
        "shop/makers.py": '''
            def make():
                from shop.base import Base
                return Base()


            def make_bare():
                from shop.base import Base
                made = Base.__new__(Base)
                made.pool = None
                return made


            def make_relative():
                from .base import Base
                return Base()


            def make_either(flag):
                from shop.base import Base
                if flag:
                    from shop.other import Base
                return Base()
            ''',
    }
    for _ in _indexed(tmp_path, files):
        facts = modules.module("shop.makers")
        assert facts.returns == {"make": "<made by> =shop.base.Base",
                                 "make_bare": "<made by> =shop.base.Base",
                                 "make_relative": "", "make_either": ""}
        assert resolver.factory_class("shop.makers.make") == "shop.base.Base"
        assert resolver.factory_class("shop.makers.make_bare") == "shop.base.Base"


SIGNATURES = {
    "calls/__init__.py": "from .api import Api, fetch\n",
    "calls/api.py": """
        import abc


        async def fetch(url, *, timeout=1, retries):
            return url


        async def stream():
            yield 1


        class Base(abc.ABC):
            async def close(self, force=False):
                return force


        class Api(Base):
            def __init__(self):
                self.ready = True

            async def get(self, key, /, default=None):
                return key

            @staticmethod
            async def build(name):
                return name

            @classmethod
            async def load(cls, **options):
                return cls()

            async def ready(self):
                return True

            if abc:
                async def either(self, a):
                    return a
            else:
                async def either(self, a, b):
                    return b


        class Made:
            def __new__(cls):
                return object()

            async def get(self):
                return 1
        """,
}


@pytest.fixture
def signatures(tmp_path):
    yield from _indexed(tmp_path, SIGNATURES)


@pytest.mark.parametrize("dotted, instance, expected", [
    # module functions, through the package's re-export
    ("calls.fetch", False, ((), ("url",), 0, False, ("timeout", "retries"), ("retries",),
                            False, 0)),
    ("calls.api.stream", False, None),  # an async generator makes no coroutine
    # methods: on an instance self is given; on the class it is not
    ("calls.Api.get", True, (("self", "key"), ("default",), 1, False, (), (), False, 1)),
    ("calls.Api.get", False, (("self", "key"), ("default",), 1, False, (), (), False, 0)),
    ("calls.Api.build", True, ((), ("name",), 0, False, (), (), False, 0)),
    ("calls.Api.load", False, ((), ("cls",), 0, False, (), (), True, 1)),
    ("calls.Api.close", True, ((), ("self", "force"), 1, False, (), (), False, 1)),  # inherited
    ("calls.Api.ready", True, None),  # __init__ sets self.ready: the method may be shadowed
    ("calls.Api.either", True, None),  # two definitions that disagree
    ("calls.api.Made.get", True, None),  # __new__ may make something else
    ("calls.Api.missing", True, None),
])
def test_coroutine_signature(signatures, dotted, instance, expected):
    found = resolver.coroutine_signature(dotted, instance)
    if expected is None:
        assert found is None
        return
    sig, implicit = found
    assert (sig.posonly, sig.args, sig.defaults, sig.vararg, sig.kwonly, sig.kw_required,
            sig.kwarg, implicit) == expected


STARS = {
    # httpx's and aiohttp's layout: a package that star-imports its parts.
    # It sets `__module__` on what it exports, as httpx does: no rewrite of any fact.
    "stars/__init__.py": """
        from .a import *
        from .b import *

        __locals = locals()
        for __name in ("Client", "tool"):
            setattr(__locals[__name], "__module__", "stars")
        """,
    "stars/a.py": """
        __all__ = ["Client"]


        class Client:
            async def get(self, url):
                return url


        class Hidden:
            pass
        """,
    "stars/b.py": """
        def _private():
            pass


        def tool():
            pass


        async def atool():
            pass
        """,
    "stars/child.py": "from stars import *\n\n\nclass Child(Client):\n    pass\n",
    # Two star modules bind the name: the later one wins at run time; not told here.
    "twice/__init__.py": "from stars.a import *\nfrom .c import *\n",
    "twice/c.py": "class Client:\n    def get(self):\n        pass\n",
    # Bound here and by the star import: the order of the statements decides.
    "shadow/__init__.py": "def Client():\n    pass\n\n\nfrom stars.a import *\n",
    # __all__ written in ways the index follows, and one it cannot.
    "lists/__init__.py": "from .grown import *\nfrom .computed import *\n",
    "lists/grown.py": ("__all__ = ['f']\n__all__ += ['g']\n__all__.append('h')\n\n\n"
                       "async def f():\n    pass\n\n\nasync def g():\n    pass\n\n\n"
                       "def h():\n    pass\n"),
    "lists/computed.py": "__all__ = list(globals())\n\n\nasync def k():\n    pass\n",
    "grown/__init__.py": "from lists.grown import *\n",
    # Bound at the top level after every star import: that binding wins. Under try/except
    # or if, it may not run.
    "late/__init__.py": ("from lists.computed import *\n\n\nclass Client:\n"
                         "    async def get(self):\n        pass\n"),
    "late/guarded.py": ("try:\n    from lists.computed import *\nexcept ImportError:\n"
                        "    def k():\n        pass\n"),
    "late/branch.py": "from lists.computed import *\n\nif True:\n    def k():\n        pass\n",
}


@pytest.fixture
def stars(tmp_path):
    yield from _indexed(tmp_path, STARS)


@pytest.mark.parametrize("dotted,kinds", [
    ("stars.Client.get", {ASYNC_DEF}),  # through the star module's __all__
    ("stars.Hidden", None),  # not in that __all__: the package does not bind it
    ("stars.tool", {DEF}),  # no __all__: every public name
    ("stars.atool", {ASYNC_DEF}),
    ("stars._private", None),
    ("stars.child.Child.get", {ASYNC_DEF}),  # a base class that came by a star import
    ("twice.Client.get", None),
    ("shadow.Client", None),
    ("lists.f", None),  # another star of the package cannot be listed
    ("grown.g", {ASYNC_DEF}),  # `+=` and `.append` of literals are followed
    ("grown.h", {DEF}),
    ("late.Client.get", {ASYNC_DEF}),
    ("late.guarded.k", None),
    ("late.branch.k", None),
])
def test_star_imports_are_followed_when_their_names_can_be_listed(stars, dotted, kinds):
    found = resolver.kinds_of(dotted)
    assert (set(found) if found is not None else None) == kinds


def test_signature_through_a_star_import(stars):
    sig, implicit = resolver.coroutine_signature("stars.Client.get", True)
    assert (sig.args, implicit) == (("self", "url"), 1)
    ancestors = resolver.class_ancestors("stars.child.Child")
    assert ancestors.keys() == {"stars.child.Child", "stars.a.Client"}


NATIVE = {
    "conn.py": ("import socket\n\n\nclass Conn(socket.socket):\n"
                "    async def connect(self, address):\n        pass\n"),
    # an extension module of the project, not of the standard library
    "fast" + importlib.machinery.EXTENSION_SUFFIXES[0]: "",
    "uses_fast.py": "from fast import thing\n",
}


@pytest.mark.parametrize("dotted,kinds", [
    ("time.sleep", {DEF}),  # a builtin module
    ("_socket.socket.connect", {DEF}),  # an extension module of the standard library
    ("socket.socket.connect", {DEF}),  # inherited from it (`from _socket import *` first)
    ("socket.socket.accept", {DEF}),  # defined in Python, on a C base
    ("contextvars.ContextVar.reset", {DEF}),  # `from _contextvars import ContextVar`
    ("asyncio.sleep", {ASYNC_DEF}),
    ("conn.Conn.connect", {ASYNC_DEF, DEF}),  # the C base may not win: both
    ("fast.thing", None),  # the project's own C code may make coroutines
    ("uses_fast.thing", None),
])
def test_what_c_modules_of_the_standard_library_define_makes_no_coroutine(
        tmp_path, dotted, kinds):
    for _ in _indexed(tmp_path, NATIVE):
        found = resolver.kinds_of(dotted)
        assert (set(found) if found is not None else None) == kinds


def test_no_c_module_of_the_standard_library_exports_a_private_name():
    """`from _socket import *` binds no name starting with "_" (what the index assumes
    of those modules, whose __all__ it cannot read)."""
    names = set(sys.builtin_module_names)
    for root in stdlib._EXTENSION_DIRECTORIES:
        names.update(name for name, kind in finder.listing(root).items() if kind == "ext")
    checked = 0
    for name in sorted(names):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # deprecated modules (spwd, audioop...)
                module = importlib.import_module(name)
        except Exception:  # not buildable here (tkinter without Tk...)
            continue
        checked += 1
        assert not [n for n in getattr(module, "__all__", ()) if n.startswith("_")], name
    assert checked > 30


SETATTRS = {
    "dyn/__init__.py": """
        class Model:
            def __setstate__(self, state):
                for name, value in state.items():
                    setattr(self, name, value)

            def named(self):
                setattr(self, "label", 1)

            async def read(self):
                return 1


        class Codes:
            async def ok(self):
                return 1


        for code in (1, 2):
            setattr(Codes, f"c{code}", code)


        class Plain:
            async def get(self):
                return 1


        setattr(Plain, "__module__", "elsewhere")
        """,
}


def test_setattr_on_self_or_a_class_is_not_a_rewrite_of_the_module(tmp_path):
    for _ in _indexed(tmp_path, SETATTRS):
        facts = modules.module("dyn")
        assert not facts.rewritten
        model = facts.classes["Model"]
        assert (model.dynamic_self, model.self_names) == (True, ["label"])
        assert resolver.kinds_of("dyn.Model.read") == {ASYNC_DEF}
        # an instance may hold anything under that name: no signature to rely on
        assert resolver.coroutine_signature("dyn.Model.read", True) is None
        assert resolver.coroutine_signature("dyn.Model.read", False) is not None
        assert resolver.kinds_of("dyn.Codes.ok") is None  # the class is set on: not plain
        assert resolver.kinds_of("dyn.Plain.get") == {ASYNC_DEF}


PARAMETER_SETATTRS = {
    "feat/__init__.py": """
        def feature(name):
            def decorate(func):
                setattr(func, "_feature_name", name)
                return func
            return decorate


        class Config:
            @feature("power")
            async def turn_on(self):
                return 1

            async def turn_off(self):
                return 0


        def register(target, **values):
            for key, value in values.items():
                setattr(target, key, value)


        class Handler:
            async def handle(self):
                return 1


        register(Handler, handle=None)
        """,
    "local/__init__.py": """
        class Manager:
            def upsert(self, session, model, fields):
                existing = None
                existing = session.first()
                for key, value in fields.items():
                    setattr(existing, key, value)

            async def close(self):
                return 1
        """,
    "meta/__init__.py": """
        class Registry:
            @classmethod
            def add(cls, name, value):
                setattr(cls, name, value)

            async def get(self):
                return 1
        """,
    "itself/__init__.py": """
        import sys


        def install(namespace):
            setattr(namespace, "get", None)


        async def get():
            return 1


        install(sys.modules[__name__])
        """,
    # (redis's tests/conftest.py) a local named `modules` is no sys.modules
    "named/__init__.py": """
        class Flag:
            def __call__(self, parser, namespace, values):
                setattr(namespace, "dest", True)


        def skip_unless_loaded(info):
            modules = info["modules"]
            return modules


        async def get():
            return 1
        """,
    "imported/__init__.py": """
        from sys import modules


        def install(namespace):
            setattr(namespace, "get", None)


        async def get():
            return 1
        """,
}


def test_setattr_on_a_parameter_is_not_a_rewrite_of_the_module(tmp_path):
    """Distilled from pyatv's interface module: a decorator that sets an attribute on the
    function it is handed rewrites no name of its module. A class handed to such a function
    may gain any attribute; a class method's `cls` is its class; a module that may hand
    itself over may be rewritten."""
    for _ in _indexed(tmp_path, PARAMETER_SETATTRS):
        assert not modules.module("feat").rewritten
        assert resolver.kinds_of("feat.Config.turn_off") == {ASYNC_DEF}
        assert resolver.kinds_of("feat.Handler.handle") is None  # handed over: not plain
        # (autogen-studio) a local bound to None, then to what a call gives: no module
        assert not modules.module("local").rewritten
        assert resolver.kinds_of("local.Manager.close") == {ASYNC_DEF}
        assert modules.module("meta").rewritten
        assert modules.module("itself").rewritten
        assert not modules.module("named").rewritten
        assert modules.module("imported").rewritten


RETURNS = {
    "made/__init__.py": "",
    "made/api.py": """
        from typing import Generator, Optional


        class Pipeline:
            def get(self):
                pass


        class Other:
            pass


        class Client:
            def pipeline(self) -> "Pipeline":
                return Pipeline()

            def maybe(self) -> Optional[Pipeline]:
                return None

            def flow(self) -> Generator[int, None, None]:
                yield 1

            def unannotated_flow(self):
                yield 1

            def plain(self):
                return 1

            async def coro(self) -> Pipeline:
                return Pipeline()


        class Child(Client):
            def pipeline(self) -> Other:
                return Other()


        class GrandChild(Child):
            pass


        def build() -> Pipeline:
            return Pipeline()


        class Pool:
            @classmethod
            def from_url(cls: "type[T]", url) -> "T":
                if not url:
                    raise ValueError(url)
                return cls(url)

            @classmethod
            def maybe(cls, url):
                return cls(url) if url else None

            @classmethod
            def rebinds(cls, url):
                cls = Other
                return cls()

            @classmethod
            def nothing(cls):
                pass

            @staticmethod
            def static(cls):
                return cls()

            def sized(self, size) -> "Pipeline":
                self.size = size
                return self

            def swapped(self, other):
                self = other
                return self

            @staticmethod
            def echo(self):
                return self


        class SubPool(Pool):
            pass


        def helper(flag=None):
            flag = flag or 1
            made = Pipeline()
            return made


        def via_helper():
            return helper()


        def shadowed(Pipeline):
            return Pipeline()


        def two_ways(flag):
            if flag:
                return Pipeline()
            return Other()


        def maybe_none(flag):
            if flag:
                return
            return Pipeline()


        def bound_in_branch(flag):
            if flag:
                made = Pipeline()
            return made


        def falls_off(flag):
            if flag:
                return Pipeline()


        def rebound():
            made = Pipeline()
            made = Other()
            return made


        def makes_a_value():
            return len([])
        """,
}


@pytest.mark.parametrize("dotted, made", [
    ("made.api.Client.pipeline", "made.api.Pipeline"),  # a string annotation
    ("made.api.build", "made.api.Pipeline"),
    ("made.api.Client.flow", resolver.GENERATOR),
    ("made.api.Client.unannotated_flow", None),  # told by its annotation only
    ("made.api.Client.maybe", None),  # Optional[...]: not one class
    ("made.api.Client.plain", None),  # no annotation
    ("made.api.Client.coro", None),  # a coroutine function makes a coroutine
    ("made.api.Child.pipeline", "made.api.Other"),  # its own wins over its base's
    ("made.api.GrandChild.pipeline", "made.api.Other"),  # the nearest definition wins
    # a classmethod whose every return is `cls(...)`: the class it is called on
    ("made.api.Pool.from_url", "made.api.Pool"),
    ("made.api.SubPool.from_url", "made.api.SubPool"),
    ("made.api.Pool.maybe", None),  # returns something else too
    ("made.api.Pool.rebinds", None),  # `cls` is no longer the class
    ("made.api.Pool.nothing", None),
    ("made.api.Pool.static", None),  # not a classmethod: `cls` is any argument
    # every return `self`: the class it is called on, whatever the annotation says
    ("made.api.Pool.sized", "made.api.Pool"),
    ("made.api.SubPool.sized", "made.api.SubPool"),
    ("made.api.Pool.swapped", None),  # `self` rebound
    ("made.api.Pool.echo", None),  # a staticmethod: its first argument is anything
    # unannotated: what the body returns, made by calling one name, on every way out
    ("made.api.helper", "made.api.Pipeline"),
    ("made.api.via_helper", "made.api.Pipeline"),  # what helper() makes
    ("made.api.shadowed", None),  # a parameter, not the class
    ("made.api.two_ways", None),
    ("made.api.maybe_none", None),
    ("made.api.bound_in_branch", None),  # may be unbound
    ("made.api.falls_off", None),  # may return None
    ("made.api.rebound", None),
    ("made.api.makes_a_value", None),  # a builtin function's value: no class read
])
def test_returned_class(tmp_path, dotted, made):
    for _ in _indexed(tmp_path, RETURNS):
        assert resolver.returned_class(dotted) == made


AWAITED = {
    "made/__init__.py": "",
    "made/pools.py": """
        def trace(func):
            return func


        class Pool:
            @classmethod
            async def create(cls):
                return cls()

            @classmethod
            async def maybe(cls, flag):
                if flag:
                    return cls()
                return None

            async def clone(self):
                return self

            async def annotated(self) -> "Pool":
                return self.pool_of()

            def plain(self):
                return Pool()


        class SubPool(Pool):
            pass


        async def open_pool():
            pool = Pool()
            return pool


        async def via_helper():
            return helper()


        def helper():
            return Pool()


        async def via_coroutine():
            return open_pool()


        async def either(flag):
            if flag:
                return Pool()
            return SubPool()


        async def flow():
            yield Pool()


        @trace
        async def traced():
            return Pool()
        """,
}


@pytest.mark.parametrize("dotted, made", [
    ("made.pools.Pool.create", "made.pools.Pool"),  # a factory classmethod: its class
    ("made.pools.SubPool.create", "made.pools.SubPool"),  # the class it is called on
    ("made.pools.open_pool", "made.pools.Pool"),
    ("made.pools.via_helper", "made.pools.Pool"),  # what the def it calls makes
    ("made.pools.via_coroutine", None),  # a coroutine (what calling open_pool makes)
    ("made.pools.Pool.maybe", None),  # returns None too
    ("made.pools.Pool.clone", "made.pools.Pool"),  # `return self`: the class called on
    ("made.pools.SubPool.clone", "made.pools.SubPool"),
    ("made.pools.Pool.annotated", None),  # its annotation is not trusted
    ("made.pools.Pool.plain", None),  # a plain def: its call gives no awaitable
    ("made.pools.either", None),  # two classes
    ("made.pools.flow", None),  # an async generator: awaiting its call fails
    ("made.pools.traced", None),  # a decorator of unknown effect
])
def test_awaited_class(tmp_path, dotted, made):
    for _ in _indexed(tmp_path, AWAITED):
        assert resolver.awaited_class(dotted) == made


def test_typing_aliases_name_the_classes_typing_binds():
    import builtins
    import importlib

    for alias, origin in resolver.TYPING_ALIASES.items():
        module, _, name = alias.rpartition(".")
        found = getattr(importlib.import_module(module), name, None)
        if found is None:
            continue  # gone from this Python
        home, _, attr = origin.rpartition(".")
        real = getattr(builtins if home == "builtins" else importlib.import_module(home), attr)
        assert getattr(found, "__origin__", found) is real, alias


def test_lines_ending_in_a_bare_cr_are_counted_as_the_parser_counts_them():
    """An async generator is no coroutine function, whatever the file's line ends."""
    for newline in (b"\n", b"\r\n", b"\r"):
        source = newline.join([b"import os", b"", b"async def g():", b"    yield 1", b""])
        facts = build(ast.parse(source), "mod", False, source)
        assert facts.async_defs == ["g"] and facts.signatures == {}, newline


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_text_finds_a_word_on_the_lines_the_parser_counts(newline):
    """Text, of bytes (a module the index reads) or of text (the linted file), tells
    whether a word starts on a line of a range."""
    from flake8_async_tests.index.text import Text

    lines = ["import os", "", "def f():", "    mock = 1", "    return mock", ""]
    for source, word in ((newline.join(lines), re.compile(r"\bmock\b")),
                         (newline.join(lines).encode(), re.compile(rb"\bmock\b"))):
        text = Text(source)
        assert text.within(4, 4, word) and text.within(1, 6, word)
        assert not text.within(1, 3, word) and not text.within(6, 9, word)
        func = ast.parse(newline.join(lines)).body[1]
        assert text.mentions(func, word)


@pytest.mark.skipif(stdlib.VERSION not in PYTHONS, reason="no table for this Python")
def test_the_tables_classes_make_no_coroutine_on_this_interpreter():
    """A class the table says makes no coroutine does so here too (the table is written
    with each patch release it holds, keeping only what holds in all of them)."""
    sync, every = stdlib.scan_sync_classes()
    shipped = stdlib._load()[3]
    assert not (shipped & every) - sync, "run scripts/stdlib_names.py with this Python"
    assert {"threading.Thread", "socket.socket"} <= shipped
    assert any(name.partition(".")[0] == "pathlib" and name.endswith(".Path")
               for name in shipped)  # (pathlib.Path, or pathlib._local.Path on 3.13)
    # setattr on instances; a package with async defs; its own module imports asyncio
    assert not {"argparse.Namespace", "unittest.mock.Mock", "contextlib.ExitStack"} & sync
    # the names that re-export them hold here too, and none is missing
    aliases, shipped_aliases = stdlib.scan_sync_aliases(sync), stdlib._load()[4]
    assert {k: aliases.get(k) for k in shipped_aliases} == shipped_aliases
    assert {k: v for k, v in aliases.items() if v in shipped} == shipped_aliases
    assert shipped_aliases["concurrent.futures.Future"] == "concurrent.futures._base.Future"


def test_a_standard_library_class_is_one_found_there(project, tmp_path):
    """The table answers for a name only where the file's imports find the standard
    library's module."""
    (tmp_path / "shadow").mkdir()
    (tmp_path / "shadow" / "__init__.py").write_text("", encoding="utf-8")
    with modules.scope([str(tmp_path)]):
        assert resolver.sync_stdlib_class("threading.Thread")
        assert resolver.sync_stdlib_class("pathlib.Path")  # re-exported on 3.13
        assert not resolver.sync_stdlib_class("threading.Nothing")
        assert not resolver.sync_stdlib_class("shadow.Thread")
        assert not resolver.sync_stdlib_class("asyncio.Event")
        assert resolver.sync_stdlib_class("concurrent.futures.Future")  # re-exported
        assert not resolver.sync_stdlib_class("concurrent.futures.wait")
    # answered from the table: no module of the standard library was read
    assert not [name for path, name in modules._facts if stdlib.holds(path, name.split(".")[0])]


@pytest.mark.parametrize("dotted,defined", [
    ("shop.Client", "shop.client.Client"),  # re-exported by the package
    ("shop.Client.fetch", "shop.client.Client.fetch"),
    ("shop.client.Client", "shop.client.Client"),  # defined there
    ("shop.models", "shop.models"),  # a module
    ("shop.patched.Service", "shop.patched.Service"),
    ("shop.nothing", "shop.nothing"),
    ("asyncio.AbstractEventLoop", "asyncio.events.AbstractEventLoop"),  # a star import
])
def test_where_a_name_is_defined(project, dotted, defined):
    assert resolver.defined_at(dotted) == defined


@pytest.mark.parametrize("owner,attr,present", [
    ("asyncio", "sleep", True),  # bound by a star import of asyncio/__init__.py
    ("asyncio", "AbstractEventLoop", True),
    ("asyncio", "no_such_name", False),
])
def test_a_module_has_what_its_star_imports_bind(project, owner, attr, present):
    assert (resolver.attribute(owner, attr) == resolver.PRESENT) is present


def test_what_each_method_sets_on_self():
    """Each attribute a method sets on `self`, with what the assignments set it to: each
    class made there (directly or through a local bound once) or None, once; a parameter
    (and where); or, when one is anything else, nothing (the attribute is left out)."""
    tree = ast.parse(textwrap.dedent('''\
        from app import Conn, Pool


        class Client:
            kind = None

            def __init__(self, transport, make, *args):
                self.transport = transport
                pool = Pool(1)
                self.pool = pool
                self.conn = Conn()
                self.made = make()
                self.args = args
                self.count = 0
                import helpers
                self.helper = helpers.Helper()

                def later():
                    self.late = Pool()

            def reset(self, conn):
                self.conn = Conn()
                self.pool = None
                self.other = Conn()
                self.other = conn
                setattr(self, "named", Conn())
                for self.item in []:
                    pass
                self.count.total = 1  # (sets nothing on self)
                self.loaded.total = 1
        '''))
    client = build(tree, "app.client", False).classes["Client"]
    assert client.self_names == ["args", "conn", "count", "helper", "item", "late",
                                 "loaded", "made", "named", "other", "pool", "transport"]
    assert client.self_values == {
        "conn": ["<made by> Conn"],  # twice, the same way
        "loaded": [],  # only an attribute of it is set
        "other": ["<parameter> 25"],  # a parameter wins: the value is unknown
        "pool": ["<made by> Pool", "<none>"],  # each way, once
        "transport": ["<parameter> 8"],
    }


INSTANCES = {
    "shop/__init__.py": "from .client import Client\n",
    "shop/pools.py": '''
        import asyncio


        class Pool:
            def release(self):
                pass


        class Writer:
            def __init__(self, transport):
                self.transport = transport


        def make_pool():
            pool = Pool()
            return pool
        ''',
    "shop/client.py": '''
        import asyncio

        from .pools import Pool, Writer, make_pool


        class Base:
            def __init__(self):
                self.pool = Pool()


        class Client(Base):
            shared = None

            def __init__(self, writer):
                super().__init__()
                self.made = make_pool()
                self.writer = Writer(writer)
                self.raw = writer
                self.loop = asyncio.new_event_loop()
                self.shared = Pool()

            def swap(self):
                self.made = Writer(None)
                self.writer = None


        class Dynamic(Client):
            def __init__(self, name):
                setattr(self, name, None)
        ''',
}


@pytest.mark.parametrize("cls,attr,value", [
    ("shop.Client", "pool", ("classes", ("shop.pools.Pool",))),  # set by a base's method
    ("shop.client.Client", "writer", ("classes", ("shop.pools.Writer",))),  # or None
    ("shop.client.Client", "raw", ("parameter",
                                   "shop.client.Client.raw is set to a parameter in "
                                   "shop.client, line 19")),
    ("shop.client.Client", "loop", ("classes", ("<api> asyncio.events.AbstractEventLoop",))),
    ("shop.client.Client", "made", ("classes", ("shop.pools.Pool", "shop.pools.Writer"))),
    ("shop.client.Client", "shared", None),  # a class attribute too
    ("shop.client.Client", "nothing", None),
    # setattr(self, name, ...) with a computed name: not counted, as astroid does not
    ("shop.client.Dynamic", "pool", ("classes", ("shop.pools.Pool",))),
    ("shop.client.Dynamic", "raw", ("parameter",  # unknown all the same
                                    "shop.client.Client.raw is set to a parameter in "
                                    "shop.client, line 19")),
    ("shop.pools.Writer", "transport", ("parameter",
                                        "shop.pools.Writer.transport is set to a parameter "
                                        "in shop.pools, line 12")),
])
def test_instance_value(tmp_path, cls, attr, value):
    for _ in _indexed(tmp_path, INSTANCES):
        assert resolver.instance_value(cls, attr) == value


def test_what_module_level_names_hold():
    """A name the module binds once, at the top level, to what one call makes, plain or
    annotated: the callee as spelled. Not a name bound again (anywhere at the top level,
    under `if` too), deleted, declared `global` in a function, or bound to anything else."""
    tree = ast.parse(textwrap.dedent('''\
        import logging
        import re
        from typing import Final, Pattern

        from .pools import Pool

        logger = logging.getLogger(__name__)
        PATTERN: Final[Pattern[str]] = re.compile("x")
        pool = Pool()
        twice = Pool()
        twice = Pool()
        if logger:
            branch = Pool()
        else:
            branch = None
        dropped = Pool()
        del dropped
        later = Pool()
        if dropped:
            del later
        reset = Pool()
        a = b = Pool()
        made = [Pool()][0]
        factory = Pool.from_url("x")
        Pool = Pool()  # (an import too)


        def renew():
            global reset
            reset = Pool()
        '''))
    assert build(tree, "app.client", False).values == {
        "PATTERN": "<made by> re.compile",
        "factory": "<made by> Pool.from_url",
        "logger": "<made by> logging.getLogger",
        "pool": "<made by> Pool",
    }


HELD = {
    "shop/__init__.py": "from .client import pool, shared_logger\n",
    "shop/pools.py": '''
        class Pool:
            def release(self):
                pass

            async def fetch(self):
                pass


        class Stateful:
            def __init__(self):
                self.release = None

            def release(self):
                pass
        ''',
    "shop/client.py": '''
        import logging
        import re

        from .pools import Pool, Stateful

        shared_logger = logging.getLogger(__name__)
        PATTERN = re.compile("x")
        pool = Pool()
        state = Stateful()
        other = open(__file__)
        ''',
}


@pytest.mark.parametrize("dotted,held,kinds", [
    ("shop.client.pool", "shop.pools.Pool", {"release": {DEF}, "fetch": {ASYNC_DEF}}),
    ("shop.pool", "shop.pools.Pool", {"release": {DEF}}),  # through a re-export
    ("shop.shared_logger", "logging.Logger", {"info": {DEF}}),  # API_RETURNS
    ("shop.client.PATTERN", resolver.NATIVE_VALUE, {"match": {DEF}, "anything": {DEF}}),
    # an instance attribute may stand for the method: unknown
    ("shop.client.state", "shop.pools.Stateful", {"release": None}),
    ("shop.client.other", None, {"read": None}),  # a builtin: not read here
    ("shop.client.nothing", None, {"read": None}),
])
def test_held_class(tmp_path, dotted, held, kinds):
    for _ in _indexed(tmp_path, HELD):
        assert resolver.held_class(dotted) == held
        for name, written in kinds.items():
            assert resolver.kinds_of(f"{dotted}.{name}") == written


@pytest.mark.parametrize("dotted,attr,answer", [
    ("shop.client.pool", "release", resolver.PRESENT),
    ("shop.shared_logger", "error", resolver.PRESENT),
    ("shop.client.state", "release", resolver.PRESENT),  # (set on self, and a def)
    ("shop.client.pool", "nothing", resolver.UNKNOWN),  # missing is astroid's to say
    ("shop.client.PATTERN", "match", resolver.UNKNOWN),
])
def test_attribute_of_what_a_module_level_name_holds(tmp_path, dotted, attr, answer):
    for _ in _indexed(tmp_path, HELD):
        assert resolver.attribute(dotted, attr) == answer


HOOKED = {
    "hooks.py": '''
        class Session:
            def __init_subclass__(cls, **kwargs):
                super().__init_subclass__(**kwargs)

            def close(self):
                pass


        class Custom(Session):
            async def close(self):
                pass


        class Deeper(Custom):
            pass
        ''',
}


def test_an_init_subclass_hook_rewrites_subclasses_not_its_class(tmp_path):
    """aiohttp's ClientSession defines `__init_subclass__`: it runs for every subclass,
    so the class itself is read as written, and its subclasses (at any depth) are not
    read at all."""
    for _ in _indexed(tmp_path, HOOKED):
        found = resolver.class_ancestors("hooks.Session")
        assert list(found) == ["hooks.Session"] and found["hooks.Session"].init_subclass
        assert resolver.kinds_of("hooks.Session.close") == {DEF}
        assert resolver.class_ancestors("hooks.Custom") is None
        assert resolver.class_ancestors("hooks.Deeper") is None
        assert resolver.kinds_of("hooks.Custom.close") is None
