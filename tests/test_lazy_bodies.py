"""Function bodies of modules astroid builds from files wait until first used
(inference/lazy.py): which wait, and that a module so built reads, walks and infers as one
built whole."""

from __future__ import annotations

import textwrap

import pytest
from astroid import nodes
from astroid.builder import AstroidBuilder

from flake8_async_tests.inference import building, lazy
from flake8_async_tests.inference.base import MANAGER

SOURCE = '''\
    import collections

    G = 0


    def two():
        x = 1
        return x


    def one_return():
        return G + 1


    def one_call():
        print(G)


    def documented():
        """Only a docstring."""


    def declares_global():
        global G
        G = 2
        return G


    def nested_global():
        def inner():
            global H
            H = 1
        return inner


    def closes():
        y = 1

        def inner():
            nonlocal y
            y = 2
        return inner


    def makes_tuple():
        from collections import namedtuple
        Point = namedtuple("Point", "x y")
        return Point


    def outer():
        def inner():
            a = 1
            return a
        return inner


    async def fetch():
        await other()
        return 1


    async def other():
        return 2


    class Client:
        def __init__(self):
            self.ready = True
            self.count = 0

        def sets_in_loop(self, items):
            for self.current in items:
                pass
            return items

        def sets_in_comprehension(self, items):
            found = [1 for self.last in items]
            return found

        def get(self, key):
            value = key * 2
            return value

        def lookup(self, key):
            return self.get(key)
    '''

DEFERRED = {"two", "one_return", "makes_tuple", "outer", "fetch", "other", "get", "lookup"}


@pytest.fixture
def module_file(tmp_path, request):
    name = f"lazy_{request.node.name.replace('[', '_').replace(']', '_')}"
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    yield str(path), name
    MANAGER.astroid_cache.pop(name, None)


def _lazy(path: str, name: str) -> nodes.Module:
    with building.lean_builds():
        return MANAGER.ast_from_file(path, name)


def _whole(path: str, name: str) -> nodes.Module:
    with building.lean_builds():
        saved = lazy.deferrable
        lazy.deferrable = lambda func: False  # type: ignore[assignment]
        try:
            return AstroidBuilder(MANAGER).file_build(path, name + "_whole")
        finally:
            lazy.deferrable = saved
            MANAGER.astroid_cache.pop(name + "_whole", None)


def _functions(module: nodes.Module) -> dict[str, nodes.FunctionDef]:
    found = {}
    for node in [*module.body, *module["Client"].body]:
        if isinstance(node, nodes.FunctionDef):  # (a waiting one is one too)
            found[node.name] = node
    return found


def _waiting(module: nodes.Module) -> set[str]:
    return {name for name, func in _functions(module).items() if lazy.PENDING in vars(func)}


def test_which_bodies_wait(module_file) -> None:
    module = _lazy(*module_file)
    assert _waiting(module) == DEFERRED
    assert type(module["two"]).__name__ == "FunctionDef"
    assert isinstance(module["fetch"], nodes.AsyncFunctionDef)


def test_a_body_is_built_on_first_use_in_place(module_file) -> None:
    module = _lazy(*module_file)
    func = module["two"]
    before = lazy.built
    assert [type(stmt).__name__ for stmt in func.body] == ["Assign", "Return"]
    assert lazy.built == before + 1  # (counted: a question that built a body is asked again)
    func.body
    assert lazy.built == before + 1
    assert type(func) is nodes.FunctionDef  # the class swapped back
    assert lazy.PENDING not in vars(func)
    assert sorted(func.locals) == ["x"]
    assert all(stmt.parent is func for stmt in func.body)
    assert module["two"] is func and func.parent is module
    inner = module["outer"].body[0]
    assert isinstance(inner, nodes.FunctionDef) and lazy.PENDING in vars(inner)  # in turn
    assert [type(stmt).__name__ for stmt in inner.body] == ["Assign", "Return"]


def test_the_module_reads_as_one_built_whole(module_file) -> None:
    whole = _whole(*module_file)
    module = _lazy(*module_file)
    assert module.as_string() == whole.as_string()  # every body built by the walk
    assert not _waiting(module)
    for name, func in _functions(whole).items():
        built = _functions(module)[name]
        assert sorted(built.locals) == sorted(func.locals), name
        assert built.is_generator() == func.is_generator()
    assert sorted(module["Client"].instance_attrs) == sorted(whole["Client"].instance_attrs) \
        == ["count", "current", "last", "ready"]
    assert sorted(module.locals) == sorted(whole.locals)
    assert "H" in module.locals


def test_inference_reaches_waiting_bodies(module_file) -> None:
    module = _lazy(*module_file)
    with building.lean_builds():
        made = next(module["makes_tuple"].infer_call_result(None))
        assert isinstance(made, nodes.ClassDef) and made.name == "Point"  # a transform ran
        assert "namedtuple" in module["makes_tuple"].locals  # the from-import, as a local
        value = next(module["one_return"].infer_call_result(None))
        assert value.value == 1
        inner = next(module["outer"].infer_call_result(None))
        assert isinstance(inner, nodes.FunctionDef) and inner.name == "inner"
        assert next(inner.infer_call_result(None)).value == 1
        client = next(module["Client"].infer_call_result(None))
        method = next(client.igetattr("lookup"))
        assert next(method.infer_call_result(None)) is not None


def test_modules_made_from_text_are_built_whole() -> None:
    with building.lean_builds():
        module = AstroidBuilder(MANAGER).string_build(textwrap.dedent(SOURCE), "lazy_text")
    MANAGER.astroid_cache.pop("lazy_text", None)
    assert not _waiting(module)


def test_astroid_is_left_as_found_after_analysis(module_file) -> None:
    from astroid import rebuilder

    before = rebuilder.TreeRebuilder, AstroidBuilder._post_build
    with building.lean_builds():
        with building.lean_builds():  # (astroid's start is built inside a file's analysis)
            pass
        assert rebuilder.TreeRebuilder is lazy.LazyRebuilder
    assert (rebuilder.TreeRebuilder, AstroidBuilder._post_build) == before
    module = _lazy(*module_file)
    assert module["Client"]["get"].body  # still built on first use outside analysis


def test_a_body_too_deep_to_build_stays_waiting_and_says_so(tmp_path) -> None:
    deep = "+".join(["x"] * 500)  # ast parses it; astroid's rebuilder recurses too deep
    path = tmp_path / "lazy_deep.py"
    path.write_text(f"def deep():\n    x = 1\n    return {deep}\n\n\n"
                    "def fine():\n    x = 1\n    return x\n", encoding="utf-8")
    try:
        module = _lazy(str(path), "lazy_deep")
        func = module["deep"]
        for _ in range(2):
            with pytest.raises(RecursionError):
                func.body
            assert lazy.PENDING in vars(func) and func.locals == {}
        assert next(module["fine"].infer_call_result(None)).value == 1
    finally:
        MANAGER.astroid_cache.pop("lazy_deep", None)


OVERLOADS = '''\
    import typing
    from typing import TYPE_CHECKING, overload


    @overload
    def load(key: int) -> int: ...
    @typing.overload
    def load(key: str) -> str: ...
    def load(key):
        return key


    class Client:
        @overload
        async def fetch(self, key: int) -> int: ...
        async def fetch(self, key):
            return key

        class Inner:
            @overload
            def close(self) -> None: ...
            def close(self):
                pass

        if TYPE_CHECKING:
            @overload
            def typed(self) -> None: ...


    @overload
    def stub_only() -> None: ...
    '''


def test_overload_stubs_a_later_def_replaces_are_left_out(tmp_path) -> None:
    """As at run time, the def after a module's or a class's `typing.overload` stubs is
    the only one bound: astroid builds it alone (and infers one value, not each stub's).
    A stub with no def after it in the same body stays."""
    path = tmp_path / "lazy_overloads.py"
    path.write_text(textwrap.dedent(OVERLOADS), encoding="utf-8")
    try:
        module = _lazy(str(path), "lazy_overloads")
        assert [f.lineno for f in module.locals["load"]] == [9]
        assert [f.lineno for f in module["Client"].locals["fetch"]] == [16]
        assert [f.lineno for f in module["Client"]["Inner"].locals["close"]] == [22]
        assert [f.lineno for f in module["Client"].locals["typed"]] == [26]  # (decorator's)
        assert [f.lineno for f in module.locals["stub_only"]] == [30]
        with building.lean_builds():
            client = next(module["Client"].infer_call_result(None))
            assert [v.lineno for v in client.igetattr("fetch")] == [16]
    finally:
        MANAGER.astroid_cache.pop("lazy_overloads", None)
