"""Calls the index can judge from source are judged without astroid: what C modules of
the standard library define, and local aliases of functions and methods; and a call on what
astroid cannot follow either (a value bound by `with ... as`) is not handed to it. Each of
these used to build the test file (and what it imports) for astroid, for a "no"."""

from __future__ import annotations

import ast
import shutil
import textwrap

import pytest

from flake8_async_tests.checks.awaits import AwaitRules
from flake8_async_tests.context import FileContext
from flake8_async_tests.model.opaque import DATA_RETURNS
from harness import FIXTURES, lint

SOURCE = '''\
    import pickle
    import socket
    import time
    from contextvars import ContextVar


    class Jar:
        def match(self, key):
            pass


    def test_sync():
        sock = socket.socket()
        sock.connect(("localhost", 0))
        time.sleep(0)
        var = ContextVar("var")
        var.reset(var.set(1))
        check = Jar.match
        check(Jar(), "k")
        with open(__file__) as handle:  # astroid does not follow `with ... as`
            read = handle.read
            read()
        value = pickle.loads(b"")
        value.read()
    '''

# A module with a class that has a coroutine method and a plain one.
CLIENT = ("class Client:\n    async def fetch(self):\n        pass\n\n"
          "    def close(self):\n        pass\n")


@pytest.fixture
def asked(monkeypatch):
    """The calls AT200 searches a callee for (source and the index had no surer answer),
    by source text."""
    calls: list[str] = []
    original = AwaitRules._coroutine_callee

    def recorded(self, call, scope, static):
        calls.append(self.ctx.lines[call.lineno - 1].strip())
        return original(self, call, scope, static)

    monkeypatch.setattr(AwaitRules, "_coroutine_callee", recorded)
    return calls


@pytest.fixture
def inferred(monkeypatch):
    """Of those, the calls handed to astroid (to build the test file, or to resolve a
    name it imports), by source text."""
    calls: list[str] = []
    asking: list[tuple[FileContext, ast.Call]] = []
    original = AwaitRules._coroutine_callee

    def recorded(self, call, scope, static):
        asking.append((self.ctx, call))
        try:
            return original(self, call, scope, static)
        finally:
            asking.pop()

    def note() -> None:
        if asking:
            ctx, call = asking[-1]
            line = ctx.lines[call.lineno - 1].strip()
            if line not in calls:
                calls.append(line)

    def noted(original):
        def ask(*args, **kwargs):
            note()
            return original(*args, **kwargs)
        return ask

    from flake8_async_tests.inference import api  # (what the package hands out)

    monkeypatch.setattr(AwaitRules, "_coroutine_callee", recorded)
    monkeypatch.setattr(api, "resolve_dotted", noted(api.resolve_dotted))
    monkeypatch.setattr(FileContext, "astroid_node", noted(FileContext.astroid_node))
    return calls


@pytest.fixture
def built(monkeypatch):
    """Lines of the test file whose nodes a rule asked astroid for (building the file)."""
    lines: list[int] = []
    original = FileContext.astroid_node

    def recorded(self, node):
        lines.append(node.lineno)
        return original(self, node)

    monkeypatch.setattr(FileContext, "astroid_node", recorded)
    return lines


def test_only_what_source_cannot_tell_goes_to_astroid(tmp_path, asked, inferred):
    (tmp_path / "test_calls.py").write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache", "--async-tests-explain"])
    assert run.found == [] and run.returncode == 0, run.stderr
    # what pickle.loads returns is beyond the index, and beyond astroid: unknown, and said so
    assert asked == ["value.read()"] and inferred == []
    assert [str(s) for s in run.silences] == [
        "test_calls.py:24: AT200 silent: value of value is unknown: what pickle.loads returns "
        "depends on the data it reads"]


def test_a_patched_class_the_imports_name_is_built_alone(tmp_path, built):
    """AT301 reads `patch.object(app.Store, ...)` on the class its import names, built
    from its own module: the test file is not built for astroid to find it."""
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(
        "class Store:\n    async def get(self, key):\n        pass\n", encoding="utf-8")
    (tmp_path / "test_patch.py").write_text(textwrap.dedent('''\
        from unittest.mock import MagicMock, patch

        import app


        @patch.object(app.Store, "get", new=MagicMock())
        async def test_get():
            pass
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(6, 2, "AT301")], run.stderr
    assert built == []


def test_a_factory_classmethod_makes_its_class(tmp_path, built, resolved):
    """`pool = app.Pool.from_url(...)`, where from_url returns `cls(...)`: `pool.get()` is
    Pool's plain method and `other.get()` AsyncPool's coroutine function (its own async
    def wins over Pool's def), both told by the index: neither the test file nor app is
    built for astroid."""
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Pool:
            @classmethod
            def from_url(cls, url):
                return cls()

            def get(self):
                pass


        class AsyncPool(Pool):
            async def get(self):
                pass
        '''), encoding="utf-8")
    (tmp_path / "test_pool.py").write_text(
        "import app\n\n\ndef test_sync():\n    pool = app.Pool.from_url('x')\n"
        "    pool.get()\n    other = app.AsyncPool.from_url('x')\n    other.get()\n",
        encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(8, 5, "AT200")], run.stderr
    assert built == [] and resolved == []


def test_what_a_helper_makes_of_a_fixture_is_not_inferred(tmp_path, asked):
    """`lock = self.get_lock(r, "k")`, where the helper returns `redis.lock(...)` on its
    parameter and `r` is a fixture: astroid cannot know what pytest passes, so not what
    the helper makes of it. Made from something else, the value is still astroid's."""
    (tmp_path / "test_lock.py").write_text(textwrap.dedent('''\
        class Lock:
            def acquire(self):
                pass


        class Redis:
            def lock(self, name):
                return Lock()


        class AsyncLock:
            async def acquire(self):
                pass


        def make_lock(redis, name):
            return redis.lock(name)


        class TestLock:
            def get_lock(self, redis, *args, **kwargs):
                return redis.lock(*args, **kwargs)

            def test_from_fixture(self, r):
                lock = self.get_lock(r, "k")
                lock.acquire()
                other = make_lock(redis=r, name="k")
                other.acquire()

            def test_from_a_value_made_here(self):
                lock = self.get_lock(Redis(), "k")
                lock.acquire()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert run.found == [], run.stderr
    assert asked == ["lock.acquire()"]


def test_a_generic_alias_and_a_cast_are_read_through(tmp_path, built):
    """`Box[int]()` makes a Box, and `cast(Any, produce)` is `produce`: both told by the
    index, in either direction, without building the test file for astroid. A class that
    defines `__class_getitem__` may make anything of `Odd[int]`: that one is astroid's (here
    it makes a Box)."""
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        from typing import Generic, TypeVar

        T = TypeVar("T")


        class Box(Generic[T]):
            def reset(self, token):
                pass

            async def fetch(self):
                pass


        class Odd:
            def __class_getitem__(cls, item):
                return Box

            def fetch(self):
                pass


        async def produce():
            pass
        '''), encoding="utf-8")
    (tmp_path / "test_box.py").write_text(textwrap.dedent('''\
        from typing import Any, cast

        from app import Box, Odd, produce


        def test_sync():
            box = Box[int]()
            box.reset(None)
            box.fetch()
            make = cast(Any, produce)
            make()
            Box[str]().fetch()


        def test_odd():
            odd = Odd[int]()
            odd.fetch()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [
        (9, 5, "AT200"), (11, 5, "AT200"), (12, 5, "AT200"), (17, 5, "AT200")], run.stderr
    assert built == [17]


def test_what_a_helper_returns_is_read_from_its_body(tmp_path, built):
    """`pool = self.get_pool()`, where the helper ends with `return pool` after `pool =
    app.Pool()`, makes a Pool; `self.get_async()` returns what `app.make_async()` makes,
    an AsyncPool: both told by the index, without building the test file for astroid."""
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Pool:
            def get(self):
                pass


        class AsyncPool:
            async def get(self):
                pass


        def make_async():
            pool = AsyncPool()
            return pool
        '''), encoding="utf-8")
    (tmp_path / "test_pool.py").write_text(textwrap.dedent('''\
        import app


        class TestPools:
            def get_pool(self, size=None):
                size = size or 1
                pool = app.Pool()
                return pool

            def get_async(self):
                return app.make_async()

            def test_sync(self):
                pool = self.get_pool()
                pool.get()
                other = self.get_async()
                other.get()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(17, 9, "AT200")], run.stderr
    assert built == []


@pytest.fixture
def resolved(monkeypatch):
    """The dotted names a rule asked astroid to resolve (building their modules)."""
    from flake8_async_tests.inference import api  # (what the package hands out)

    names: list[str] = []
    original = api.resolve_dotted

    def recorded(dotted, *args, **kwargs):
        names.append(dotted)
        return original(dotted, *args, **kwargs)

    monkeypatch.setattr(api, "resolve_dotted", recorded)
    return names


def test_classes_of_the_standard_library_are_told_from_the_shipped_table(
        tmp_path, asked, read):
    """`thread.join()` on a `threading.Thread(...)`: threading's classes define no async
    def, the shipped table says so, and threading is not read (`join` is an async def
    name elsewhere: asyncio.Queue.join). asyncio's classes do define some: `event.wait()`
    is still found, read from asyncio's source; a `cast` makes nothing, and typing is not
    read for it."""
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    (tmp_path / "test_threads.py").write_text(textwrap.dedent('''\
        import asyncio
        import queue
        import threading
        from typing import cast


        async def test_threads():
            thread = threading.Thread(target=print)
            thread.start()
            thread.join()
            jobs = queue.Queue()
            jobs.get()
            event = asyncio.Event()
            event.wait()
            task = cast(asyncio.Task, asyncio.current_task())
            task.cancel()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(14, 5, "AT200")], run.stderr
    assert asked == ["event.wait()"]  # (the index answers it there)
    assert not {"threading", "queue", "typing"} & {name.split(".")[0] for name in read}
    assert "asyncio" in read


def test_an_event_loop_has_the_methods_asyncio_declares(tmp_path, asked, built):
    """`asyncio.new_event_loop()` returns an event loop (as typeshed says; its source
    does not): `loop.close()` is a plain method of AbstractEventLoop and
    `loop.shutdown_asyncgens()` a coroutine function, both told without building asyncio
    for astroid."""
    (tmp_path / "test_loop.py").write_text(textwrap.dedent('''\
        import asyncio


        class Client:
            async def close(self):
                pass


        def test_sync():
            loop = asyncio.new_event_loop()
            loop.shutdown_asyncgens()
            loop.close()
            other = asyncio.events.new_event_loop()
            other.stop()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(11, 5, "AT200")], run.stderr
    assert asked == ["loop.shutdown_asyncgens()"]  # (the index answers it there)
    assert built == []


def test_a_class_a_package_star_imports_is_built_from_its_own_module(tmp_path, monkeypatch):
    """`Mock(spec=asyncio.AbstractEventLoop)`: the index follows asyncio's star imports to
    asyncio.events, and astroid builds that module alone, not every module asyncio's
    `__init__` star-imports."""
    from flake8_async_tests.inference import names

    asked: list[str] = []
    original = names.module_by_name

    def recorded(name):
        asked.append(name)
        return original(name)

    monkeypatch.setattr(names, "module_by_name", recorded)
    monkeypatch.setattr("flake8_async_tests.inference.classes.module_by_name", recorded)
    (tmp_path / "test_spec.py").write_text(textwrap.dedent('''\
        import asyncio
        from unittest import mock


        def test_spec():
            loop = mock.Mock(spec=asyncio.AbstractEventLoop)
            loop.no_such_method()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(7, 5, "AT304")], run.stderr
    assert asked == ["asyncio.events"]


def test_what_an_operator_makes_of_a_fixture_is_not_inferred(tmp_path, asked):
    """`subdir = tmp_path / "sub"`: what pytest passes is beyond astroid, and so is what
    `/` makes of it; `subdir.joinpath("f").touch()` is not handed to astroid (anyio's
    suite built its largest test file and pathlib for it, to learn nothing)."""
    (tmp_path / "app.py").write_text(
        "class Path:\n    async def touch(self):\n        pass\n", encoding="utf-8")
    (tmp_path / "test_paths.py").write_text(textwrap.dedent('''\
        import app


        def test_sync(tmp_path):
            subdir = tmp_path / "sub"
            subdir.joinpath("f").touch()
            made = app.Path()
            made.touch()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(8, 5, "AT200")], run.stderr
    assert asked == ["made.touch()"]


def test_a_class_bound_after_a_star_import_is_the_modules(tmp_path, built):
    """`class JSONDecoder` after `from json import *` is what the module binds last: the
    class is found in its module (as `socket.socket` after `from _socket import *`), not
    by building the test file, and its missing attribute is found. A star import after
    the class may bind the name again: nothing is said then."""
    (tmp_path / "first.py").write_text(
        "from json import *\n\n\nclass JSONDecoder:\n    def decode(self):\n        pass\n",
        encoding="utf-8")
    (tmp_path / "last.py").write_text(
        "class JSONDecoder:\n    def decode(self):\n        pass\n\n\nfrom json import *\n",
        encoding="utf-8")
    (tmp_path / "test_patch.py").write_text(textwrap.dedent('''\
        from unittest import mock

        import first
        import last


        def test_patch():
            with mock.patch.object(first.JSONDecoder, "nothing"):
                pass
            with mock.patch.object(last.JSONDecoder, "nothing"):
                pass
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(8, 10, "AT304")], run.stderr
    assert built == [10]  # (the second is asked of the test file, and stays unknown)


def test_what_an_await_gives_is_not_inferred(tmp_path, asked):
    """astroid infers no `await`: a local every binding of which is awaited (or an
    attribute of what is awaited) has no value it can follow, so a call through it is not
    handed to it (anyio's `original_put_nowait = worker.queue.put_nowait`, `worker` awaited).
    A local also bound to what a call makes is still astroid's."""
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Queue:
            async def put_nowait(self, item):
                pass


        class Worker:
            queue = Queue()


        async def start():
            return Worker()


        async def starts():
            return [Worker()]
        '''), encoding="utf-8")
    (tmp_path / "test_worker.py").write_text(textwrap.dedent('''\
        import app


        async def test_awaited():
            worker = await app.start()
            put = worker.queue.put_nowait
            put(1)
            queue = (await app.start()).queue
            queue.put_nowait(2)
            first = (await app.starts())[0].queue
            first.put_nowait(4)


        async def test_rebound(flag):
            worker = await app.start()
            if flag:
                worker = app.Worker()
            put = worker.queue.put_nowait
            put(3)
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert run.returncode == 0, run.stderr
    assert asked == ["put(3)"]


def test_what_a_path_gives_makes_no_coroutine(tmp_path, asked):
    """pathlib's paths make no coroutine anywhere in their API: a call on what a path
    gives (`root.joinpath("src").is_dir()`, `(HERE / "x").read_text()`) is no coroutine
    call, though the project defines async defs of those names (anyio's own `Path`). The
    project's `Path` is another class: its coroutine functions are still found."""
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Path:
            def __init__(self, *parts):
                pass

            async def is_dir(self):
                pass

            async def read_text(self):
                pass
        '''), encoding="utf-8")
    (tmp_path / "test_paths.py").write_text(textwrap.dedent('''\
        from pathlib import Path

        import app

        HERE = Path(__file__).parent


        def test_sync():
            root = Path(__file__).parent.parent
            assert root.joinpath("src").is_dir()
            assert (HERE / "data").joinpath("x").is_dir()
            assert (HERE / f"{root}").joinpath("x").is_dir()
            assert Path.cwd().joinpath("x").is_dir()
            assert Path(__file__).parents[0].joinpath("x").is_dir()
            assert (HERE / app.Path("x")).joinpath("x").is_dir()
            assert app.Path("x").is_dir()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(16, 12, "AT200")], run.stderr
    # (a path `/` another object: that object's __rtruediv__ may make anything)
    assert sorted(asked) == ["assert (HERE / app.Path(\"x\")).joinpath(\"x\").is_dir()",
                             "assert app.Path(\"x\").is_dir()"]


def test_an_attribute_the_spec_class_binds_needs_no_build(tmp_path, resolved):
    """`api = Mock(spec=app.Api)`, then `api.fetch`: the index reads that Api binds fetch,
    so astroid does not build Api for AT304; an attribute Api lacks is still judged (by
    astroid: the spec class may get names the index cannot see)."""
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Base:
            def close(self):
                pass


        class Api(Base):
            def fetch(self):
                pass
        '''), encoding="utf-8")
    (tmp_path / "test_api.py").write_text(textwrap.dedent('''\
        from unittest.mock import Mock

        import app


        def test_fetch():
            api = Mock(spec=app.Api)
            api.fetch()
            api.close()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert run.found == [] and run.returncode == 0, run.stderr
    assert resolved == []
    (tmp_path / "test_api.py").write_text(textwrap.dedent('''\
        from unittest.mock import Mock

        import app


        def test_fetch():
            api = Mock(spec=app.Api)
            api.fecth()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(8, 5, "AT304")], run.stderr
    assert resolved == ["app.Api"]


def test_what_a_deserializer_returns_is_unknown(tmp_path, inferred):
    """What json.load or pickle.loads returns is whatever the data holds (astroid infers
    none of it): a call on it, on a local bound only to it, or on an element of it (a
    comprehension over it, or over a comprehension that only filters it) is not handed to
    astroid, and the silence says why. A local also bound to something else is still
    astroid's."""
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Client:
            async def get(self, key):
                pass

            async def read(self):
                pass
        '''), encoding="utf-8")
    (tmp_path / "test_data.py").write_text(textwrap.dedent('''\
        import json
        import pickle

        import app

        with open("cases.json") as handle:
            cases = json.load(handle)
            cases = [case for case in cases if not case.get("skip")]


        def test_cases():
            copied = pickle.loads(pickle.dumps(app.Client()))
            copied.read()
            pickle.loads(b"").read()


        def test_rebound(flag):
            copied = pickle.loads(b"")
            if flag:
                copied = app.Client()
            copied.read()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache", "--async-tests-explain"])
    assert run.found == [] and run.returncode == 0, run.stderr
    assert inferred == ["copied.read()"]  # (the one in test_rebound)
    why = "is unknown: what {} returns depends on the data it reads"
    assert [str(s) for s in run.silences if "depends on the data" in s.reason] == [
        f"test_data.py:8: AT200 silent: value of case {why.format('json.load')}",
        f"test_data.py:13: AT200 silent: value of copied {why.format('pickle.loads')}",
        f"test_data.py:14: AT200 silent: value of pickle.loads(b'') "
        f"{why.format('pickle.loads')}",
    ]


@pytest.mark.parametrize("deserializer", sorted(DATA_RETURNS))
def test_astroid_infers_no_value_of_a_deserializer(deserializer):
    """The table's claim, checked: astroid cannot tell what any of them returns."""
    import astroid

    module, name = deserializer.rsplit(".", 1)
    data = 'open("data", "rb")' if name == "load" else 'b""'
    call = astroid.extract_node(f"import {module}\n{module}.{name}({data})")
    try:
        values = call.inferred()
    except astroid.InferenceError:
        values = [astroid.Uninferable]  # (no answer at all)
    assert values == [astroid.Uninferable]


def test_what_an_event_loop_runs_to_its_end_is_read_from_the_coroutine(tmp_path, inferred):
    """`conn = self.loop.run_until_complete(connector.connect())` (aiohttp's unittest-style
    tests) and `asyncio.run(main())` return what the coroutine they run returns: astroid
    infers none of it, so a call on it is not handed to astroid. The index reads what the
    coroutine function's body returns where it tells (a finding), and the silence says
    why where it does not."""
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Conn:
            async def close(self):
                pass


        class Other:
            async def close(self):
                pass


        async def connect():
            return Conn()


        async def connect_either(flag):
            if flag:
                return Conn()
            return Other()
        '''), encoding="utf-8")
    (tmp_path / "test_loop.py").write_text(textwrap.dedent('''\
        import asyncio
        import unittest

        import app


        class TestConn(unittest.TestCase):
            def setUp(self):
                self.loop = asyncio.new_event_loop()

            def test_close(self):
                conn = self.loop.run_until_complete(app.connect_either(True))
                conn.close()
                known = self.loop.run_until_complete(app.connect())
                known.close()


        def test_run():
            asyncio.run(app.connect_either(True)).close()
            asyncio.run(app.connect()).close()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache", "--async-tests-explain"])
    assert [(f.line, f.col, f.code, f.variant, f.fields) for f in run.found] == [
        (15, 9, "AT200", "dropped", {"name": "known.close"}),
        (20, 5, "AT200", "dropped", {"name": "asyncio.run(app.connect()).close"}),
    ], run.stderr
    assert inferred == []
    why = "is unknown: {} returns what the coroutine it runs returns"
    assert [str(s) for s in run.silences if "coroutine it runs" in s.reason] == [
        f"test_loop.py:13: AT200 silent: value of conn {why.format('run_until_complete')}",
        f"test_loop.py:19: AT200 silent: value of asyncio.run(app.connect_either(True)) "
        f"{why.format('asyncio.run')}",
    ]


@pytest.mark.parametrize("runner", ["asyncio.run(main())", "asyncio.runners.run(main())",
                                    "asyncio.new_event_loop().run_until_complete(main())"])
def test_astroid_infers_no_value_of_a_runner(runner):
    """RUNNERS' and RUN_METHODS' claim, checked: astroid cannot tell what they return."""
    import astroid

    call = astroid.extract_node(
        "import asyncio\nclass Conn: pass\nasync def main():\n    return Conn()\n"
        + runner)
    try:
        values = call.inferred()
    except astroid.InferenceError:
        values = [astroid.Uninferable]
    assert values == [astroid.Uninferable]


RECEIVERS_APP = '''\
    import asyncio


    class Pool:
        def release(self):
            pass


    class AsyncPool:
        async def release(self):
            pass

        async def close(self):
            pass


    class Writer:
        def __init__(self, transport):
            self.transport = transport

        async def write(self, data):
            pass


    class Client:
        def __init__(self, transport):
            self.pool = Pool()
            self.writer = Writer(transport)
            self.loop = asyncio.new_event_loop()


    def connect():
        client = Client(None)
        return client
    '''


def _write_app(tmp_path, extra: str = "") -> None:
    """app.py: RECEIVERS_APP and `extra` (indented like it), each dedented on its own."""
    (tmp_path / "app.py").write_text(textwrap.dedent(RECEIVERS_APP) + textwrap.dedent(extra),
                                     encoding="utf-8")


def test_a_method_found_through_what_attributes_hold(tmp_path, inferred):
    """`client.pool.release()`, `pool = client.pool` then `pool.release()`: the index
    reads that Client's methods set `self.pool = Pool()`, and Pool.release is a plain def:
    no coroutine, and no astroid; the same for the event loop asyncio.new_event_loop()
    gives (`client.loop.close()`). `client.writer.transport.write()`: Writer sets
    `self.transport` to a parameter, so what it holds is unknown (and said so)."""
    _write_app(tmp_path)
    (tmp_path / "test_client.py").write_text(textwrap.dedent('''\
        import app


        def test_chain():
            client = app.connect()
            client.pool.release()
            pool = client.pool
            pool.release()
            client.writer.transport.write(b"")
            client.loop.close()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache", "--async-tests-explain"])
    assert [(f.line, f.col, f.code) for f in run.found] == [], run.stderr
    assert inferred == []
    assert [str(s) for s in run.silences if "set to a parameter" in s.reason] == [
        "test_client.py:9: AT200 silent: value of client.writer.transport is unknown: "
        "app.Writer.transport is set to a parameter in app, line 19"]


def test_an_attribute_the_file_replaces_is_not_followed(tmp_path, inferred):
    """An attribute the test file sets on anything but `self`, or names in a string
    (`patch.object(client, "loop")`), may hold something else there: astroid's."""
    _write_app(tmp_path)
    (tmp_path / "test_replaced.py").write_text(textwrap.dedent('''\
        from unittest import mock

        import app


        def test_replaced():
            client = app.connect()
            client.pool = app.AsyncPool()
            client.pool.release()
            with mock.patch.object(client, "loop"):
                client.loop.close()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert run.returncode == 0, run.stderr
    assert inferred == ["client.pool.release()", "client.loop.close()"]


def test_self_may_be_a_subclass_of_the_file(tmp_path, inferred):
    """`self.client.pool.release()` in a method of a class: `self` may be an instance of
    any subclass of this file, so what each sets counts too (here one sets a client whose
    pool is async: astroid is asked)."""
    _write_app(tmp_path, '''

        class Other:
            def __init__(self):
                self.pool = AsyncPool()
        ''')
    (tmp_path / "test_harness.py").write_text(textwrap.dedent('''\
        import app


        class Harness:
            def __init__(self):
                self.client = app.Client(None)

            def close(self):
                self.client.pool.release()


        class Replaced(Harness):
            def __init__(self):
                super().__init__()
                self.client = app.Other()


        class Alone:
            def __init__(self):
                self.client = app.Client(None)

            def close(self):
                self.client.pool.release()


        def test_harness():
            Replaced().close()
            Alone().close()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert run.returncode == 0, run.stderr
    assert inferred == ["self.client.pool.release()"]


def test_an_attribute_set_to_several_classes(tmp_path, inferred):
    """`self._client` is None, or an instance of one of two classes, as the class's
    methods (a fixture among them) set it: `self._client.pool.release()` makes no
    coroutine if no class it may hold makes one, and astroid is not asked."""
    _write_app(tmp_path, '''

        class Cluster:
            def __init__(self):
                self.pool = Pool()
        ''')
    (tmp_path / "test_scenario.py").write_text(textwrap.dedent('''\
        import pytest

        import app


        class TestScenario:
            @pytest.fixture(autouse=True)
            def cleanup(self):
                self._client = None
                yield
                if self._client is not None:
                    self._client.pool.release()

            def test_one(self):
                self._client = app.connect()

            def test_two(self):
                self._client = app.Cluster()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert run.found == [] and run.returncode == 0, run.stderr
    assert inferred == []


def test_a_patched_method_of_an_instance_the_value_model_holds(tmp_path, resolved):
    """`patch.object(client, "release", Mock())` where `client` comes from a fixture
    returning `app.Pool()`: the index reads that Pool.release is a plain def, so replacing
    it by a Mock is no AT301, and astroid is not asked; an async def is still found."""
    _write_app(tmp_path)
    (tmp_path / "test_pool.py").write_text(textwrap.dedent('''\
        from unittest import mock

        import pytest

        import app


        @pytest.fixture
        def pool():
            return app.Pool()


        @pytest.fixture
        def async_pool():
            return app.AsyncPool()


        async def test_plain(pool):
            with mock.patch.object(pool, "release", mock.Mock()):
                pass


        async def test_async(async_pool):
            with mock.patch.object(async_pool, "release", mock.Mock()):
                await async_pool.release()
        '''), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(24, 10, "AT301")], run.stderr
    assert resolved == ["app.AsyncPool"]


def test_a_method_of_what_a_module_level_name_holds(tmp_path, inferred, monkeypatch):
    """`logger = logging.getLogger(__name__)` at the top of a module, then `logger.info()`;
    `PATTERN = re.compile(...)` imported, then `PATTERN.match()`: the index reads what the
    name holds (a Logger, a pattern written in C), and a plain def makes no coroutine,
    with no astroid. A method that is an async def there is still found (by astroid). A
    patch target through such a name that its class binds needs no astroid either."""
    from flake8_async_tests.inference import api

    resolved: list[str] = []
    original = api.resolve_dotted

    def recorded(name, *args, **kwargs):
        resolved.append(name)
        return original(name, *args, **kwargs)

    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        import logging
        import re


        class Pool:
            async def fetch(self):
                pass

            async def info(self):  # (names in reach that are async defs somewhere)
                pass

            async def match(self):
                pass


        logger = logging.getLogger(__name__)
        PATTERN = re.compile("x")
        pool = Pool()
        '''), encoding="utf-8")
    (tmp_path / "test_held.py").write_text(textwrap.dedent('''\
        import logging
        from unittest import mock

        from app import PATTERN, pool

        logger = logging.getLogger(__name__)


        def test_sync():
            logger.info("x")
            PATTERN.match("x")
            pool.fetch()
            with mock.patch("app.logger.error"), mock.patch("app.logger.nothing"):
                pass
        '''), encoding="utf-8")
    monkeypatch.setattr(api, "resolve_dotted", recorded)  # (after `inferred` wraps it)
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(12, 5, "AT200")], run.stderr
    assert inferred == ["pool.fetch()"]
    assert "app.logger" in resolved and resolved.count("app.logger") == 1  # (`nothing`)


def test_a_patch_target_the_index_reads_needs_no_search_of_reach(tmp_path, monkeypatch):
    """`patch("app.Client.fetch", new=MagicMock())`: how the index reads the target itself
    decides whether the replacement can be AT301 (an async def) or AT302 (a def); the
    search of every module the test reaches (the cheap filter for a target the index
    cannot read) is not made. On a generated project of 1,000 modules that search was a
    tenth of the plugin's time."""
    from flake8_async_tests.index import reach

    searched: list[tuple[str, ...]] = []
    original = reach.reach

    def recorded(imported):
        imported = tuple(imported)
        searched.append(imported)
        return original(imported)

    monkeypatch.setattr(reach, "reach", recorded)
    (tmp_path / "app.py").write_text(CLIENT, encoding="utf-8")
    (tmp_path / "test_patch.py").write_text(textwrap.dedent('''\
        from unittest import mock

        import pytest


        @pytest.mark.asyncio
        async def test_patch():
            with mock.patch("app.Client.fetch", new=mock.MagicMock()):
                pass
            with mock.patch("app.Client.close", new=mock.MagicMock()):
                pass
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(8, 10, "AT301")], run.stderr
    assert searched == []


def test_a_class_call_and_a_plain_method_need_no_search_of_reach(tmp_path, monkeypatch):
    """`pkg.Client()` calls a class the index reads (through the package's star import):
    an instance, never a coroutine. `client.pool.close()` calls a plain def of every class
    `client.pool` may hold (the value model follows `self.pool = Pool()`). Both are
    answered before the search of every module the test reaches for an `async def` of the
    name (on httpx's suite, half the test files read their whole import closure for such
    calls); `client.pool.fetch()` is still found, through the search and astroid."""
    searched: list[str] = []
    original = FileContext.may_define

    def recorded(self, name, is_async, package=None):
        searched.append(name)
        return original(self, name, is_async, package)

    monkeypatch.setattr(FileContext, "may_define", recorded)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from ._models import *\n", encoding="utf-8")
    (tmp_path / "pkg" / "_models.py").write_text(textwrap.dedent('''\
        class Pool:
            async def fetch(self):
                pass

            def close(self):
                pass


        class Client:
            def __init__(self):
                self.pool = Pool()
        '''), encoding="utf-8")
    (tmp_path / "test_calls.py").write_text(textwrap.dedent('''\
        import pkg


        def test_calls():
            pkg.Client()
            client = pkg.Client()
            client.pool.close()
            client.pool.fetch()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(8, 5, "AT200")], run.stderr
    assert searched == ["fetch"]


def test_a_sync_mock_of_a_coroutine_method_the_index_reads(tmp_path, resolved):
    """`patch.object(app.Client, "fetch", new=MagicMock())` where every class that defines
    fetch makes it an `async def`: AT301 from the index, nothing resolved by astroid.
    Where the definitions differ, the subclass's def wins over its base's async def, as
    Python's MRO has it: no finding, and nothing resolved by astroid either."""
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(textwrap.dedent('''\
        class Base:
            async def fetch(self, key):
                pass


        class Client(Base):
            async def fetch(self, key):
                pass


        class Cached(Base):
            def fetch(self, key):
                pass
        '''), encoding="utf-8")
    (tmp_path / "test_fetch.py").write_text(textwrap.dedent('''\
        from unittest import mock

        import app
        from app import Cached


        async def test_fetch():
            with mock.patch.object(app.Client, "fetch", new=mock.MagicMock()):
                await app.Client().fetch("k")


        async def test_cached():
            with mock.patch.object(Cached, "fetch", new=mock.MagicMock()):
                assert Cached().fetch("k")


        async def test_by_name():
            with mock.patch("app.Base.fetch", new=mock.Mock()):
                await app.Base().fetch("k")
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code, f.variant, f.fields) for f in run.found] == [
        (8, 10, "AT301", "", {"target": "app.Client.fetch", "kind": "MagicMock"}),
        (18, 10, "AT301", "", {"target": "app.Base.fetch", "kind": "Mock"}),
    ], run.stderr
    assert resolved == []


def test_a_test_module_named_like_a_standard_library_module(tmp_path):
    """`tests/calendar.py` (collected with `python_files = *.py`) is found as the standard
    library's `calendar` when the index looks its name up: what its own `Calendar` defines
    is not read from there (where `iterweekdays` is a def), and AT301 still finds the sync
    mock that replaces the file's own coroutine method."""
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\npython_files = *.py\nasyncio_mode = auto\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "calendar.py").write_text(textwrap.dedent('''\
        from unittest.mock import MagicMock, patch


        class Calendar:
            async def iterweekdays(self):
                return []


        async def test_weekdays():
            with patch.object(Calendar, "iterweekdays", new=MagicMock()):
                await Calendar().iterweekdays()
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.path, f.line, f.col, f.code, f.fields) for f in run.found] == [
        ("tests/calendar.py", 10, 10, "AT301",
         {"target": "Calendar.iterweekdays", "kind": "MagicMock"})], run.stderr


def test_a_class_kept_under_an_old_name_is_read_as_that_class(
        tmp_path, asked, resolved, built):
    """`StrictClient = Client` (an old name kept for callers, as redis keeps StrictRedis):
    the index reads the alias as the class, so `StrictClient().fetch()` is a coroutine
    function's call and `StrictClient().close()` a plain method's, and neither asks
    astroid; nor does a patch target spelled through the alias."""
    (tmp_path / "app.py").write_text(CLIENT + "\n\nStrictClient = Client\n",
                                     encoding="utf-8")
    (tmp_path / "test_alias.py").write_text(textwrap.dedent('''\
        from unittest import mock

        from app import StrictClient


        def test_sync():
            client = StrictClient()
            assert client.fetch()
            client.close()
            with mock.patch("app.StrictClient.close"):
                pass
        '''), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [(8, 12, "AT200")], run.stderr
    assert asked == ["assert client.fetch()"]  # (the index answers it there)
    assert resolved == [] and built == []


def test_names_a_test_module_imports_relatively_are_told_from_source(tmp_path, built):
    """`from .helpers import Client, start` and `from . import helpers` in a test package:
    the index reads what each name stands for, so no call is handed to astroid, except
    on a name bound two ways (`try: from .helpers ... except ImportError: from
    .fallback ...`), which source cannot tell and astroid finds no single value of."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "relative_imports", root)
    run = lint(root, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [
        (12, 5, "AT200"), (14, 5, "AT200"), (15, 5, "AT200"), (19, 5, "AT200")], run.stderr
    assert built == [24]


def test_what_a_function_makes_is_not_looked_up_as_a_class(tmp_path, resolved):
    """`client = connect(...)`, where connect returns one of two classes: the index cannot
    tell which, and `connect` is a function, not a class whose `fetch` astroid could
    resolve by name; the call is inferred from the test file, where both values show
    (no report: they disagree)."""
    (tmp_path / "app.py").write_text(CLIENT + textwrap.dedent('''\


        class Other:
            def fetch(self):
                pass


        def connect(fast):
            if fast:
                client = Client()
            else:
                client = Other()
            return client
        '''), encoding="utf-8")
    (tmp_path / "test_connect.py").write_text(
        "from app import connect\n\n\ndef test_sync():\n    client = connect(True)\n"
        "    client.fetch()\n", encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert run.found == [], run.stderr
    assert "app.connect" not in resolved
