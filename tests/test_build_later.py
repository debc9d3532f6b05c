"""The bodies of test functions that nothing else can reach are built for astroid only when
a question is about them (FileContext.build_later, inference.build_body): which functions
qualify, and that the answers are those of a whole build."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_tests.context import FileContext
from flake8_async_tests.options import Options
from harness import lint

SELECTION = '''\
    def helper():
        pass


    def test_plain():
        x = 1


    def test_named():
        pass


    def test_yields():
        yield 1


    def test_global():
        global G


    def test_nested_global():
        def inner():
            global H
            H = 1
        inner()


    def test_in_string():
        pass


    class TestC:
        def setup_method(self):
            self.a = 1

        def test_sets(self):
            self.b = 2

        def test_reads(self):
            return self.a

        def test_called(self):
            pass

        def test_other(self):
            self.test_called()

        def test_dict(self):
            self.__dict__.update(color="red")

        def test_setattr(self, other):
            setattr(other, "x", 1)


    alias = test_named
    NAME = "test_in_string"
    '''


def test_which_bodies_wait(tmp_path) -> None:
    source = textwrap.dedent(SELECTION)
    path = tmp_path / "test_mod.py"
    path.write_text(source, encoding="utf-8")
    ctx = FileContext(ast.parse(source), source.splitlines(True), str(path), Options())
    assert [func.name for func in ctx.build_later] == ["test_plain", "test_reads",
                                                       "test_other"]


ASKED = '''\
    import asyncio


    class Client:
        async def fetch(self):
            await asyncio.sleep(0)


    def make(kind=Client):
        return kind()  # (what a parameter's default makes: astroid's to tell)


    def test_first():
        client = make()
        client.fetch()


    def test_untouched():
        assert True


    class TestClient:
        def test_method(self):
            other = make()
            assert other.fetch()
    '''


@pytest.mark.parametrize("later", [True, False], ids=["bodies-later", "whole"])
def test_answers_are_those_of_a_whole_build(tmp_path, monkeypatch, later) -> None:
    """Questions inside two bodies built on demand (a function and a method) find the
    coroutine method astroid infers; the body nobody asks about is never built."""
    built: list[str] = []
    original = FileContext.astroid_node

    def recorded(self, node):
        found = original(self, node)
        built[:] = sorted(self._built.made[id(f)].name for f in self.build_later
                          if id(f) not in self._built.pending)
        return found

    monkeypatch.setattr(FileContext, "astroid_node", recorded)
    if not later:
        monkeypatch.setattr(FileContext, "build_later", [])
    (tmp_path / "test_client.py").write_text(textwrap.dedent(ASKED), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code, f.variant) for f in run.found] == [
        (15, 5, "AT200", "dropped"), (25, 16, "AT200", "truth-value")], run.stderr
    assert built == (["test_first", "test_method"] if later else [])


DYNAMIC = ASKED + '''\


    from unittest import mock


    class Widget:
        def test_mode(self):
            self.__dict__.update(color="red")


    def test_patch():
        widget = Widget()
        with mock.patch.object(widget, "color"):
            pass
    '''


@pytest.mark.parametrize("later", [True, False], ids=["bodies-later", "whole"])
def test_whole_tree_checks_see_every_body(tmp_path, monkeypatch, later) -> None:
    """A question builds the file first; astroid then asks whether Widget sets attributes
    the source does not name, over the whole class: the test method that does is built
    with the module, so AT304 stays silent on `color` either way."""
    if not later:
        monkeypatch.setattr(FileContext, "build_later", [])
    (tmp_path / "test_widget.py").write_text(textwrap.dedent(DYNAMIC), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-no-cache"])
    assert [(f.line, f.col, f.code) for f in run.found] == [
        (15, 5, "AT200"), (25, 16, "AT200")], run.stderr


LEAN = '''\
import sys

from astroid import nodes
from astroid.builder import AstroidBuilder

from flake8_async_tests.inference import building
from flake8_async_tests.inference.base import MANAGER

SOURCE = """
import dataclasses
import pytest
from pytest import mark


@pytest.mark.slow
@mark.skipif(True, reason="x")
class TestMarked:
    pass


@dataclasses.dataclass
class Point:
    x: int = 0
"""
before = list(MANAGER._transform.transforms[nodes.ClassDef])
with building.lean_builds():
    module = AstroidBuilder(MANAGER).string_build(SOURCE, "test_lean")
    marked_alone = "pytest" not in MANAGER.astroid_cache
assert MANAGER._transform.transforms[nodes.ClassDef] == before  # (put back)
assert marked_alone, "pytest was built for a class whose decorators are pytest marks"
assert not getattr(module["TestMarked"], "is_dataclass", False)
assert module["Point"].is_dataclass  # (a class with another decorator: astroid's own way)
print("ok")
'''


def test_a_class_with_only_pytest_marks_is_neither_attrs_nor_a_dataclass(tmp_path):
    """astroid infers every class decorator while it builds, to see whether it is attrs'
    or dataclasses': for `@pytest.mark.x` that builds pytest and most of _pytest. A class
    whose every decorator is a pytest mark is known to be neither (in a fresh process, so
    that nothing built pytest before)."""
    import subprocess
    import sys

    (tmp_path / "lean.py").write_text(LEAN, encoding="utf-8")
    done = subprocess.run([sys.executable, str(tmp_path / "lean.py")], capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
