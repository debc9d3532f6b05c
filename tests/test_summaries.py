"""summaries.py reads what modules define from source alone, and answers None when unsure."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_tests import inference, summaries
from flake8_async_tests.summaries import ASYNC_DEF, DECORATED, DEF

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
    "shop/patched.py": ("class Service:\n    def get(self):\n        pass\n\n\n"
                        "setattr(Service, 'get', None)\n"),
}


@pytest.fixture()
def project(tmp_path):
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    with inference.analysis([str(tmp_path)]):
        yield tmp_path


@pytest.mark.parametrize("owner,attr,present", [
    ("shop.client", "helper", True),
    ("shop.client", "RETRIES", True),
    ("shop.client", "Base", True),  # imported names are bound too
    ("shop.client", "nothing", False),
    ("shop", "models", True),  # a submodule of a package
    ("shop", "Client", True),
    ("shop.Client", "timeout", True),  # followed through the package's import
    ("shop.Client", "close", False),  # inherited: not in its own body
    ("shop.starry", "join", False),  # a star import: unknown, never "present"
])
def test_has_name(project, owner, attr, present):
    assert summaries.has_name(owner, attr) is present


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
])
def test_kinds_of(project, dotted, kinds):
    found = summaries.kinds_of(dotted)
    assert (set(found) if found is not None else None) == kinds


def test_both_ways_in_the_ancestry_are_both_reported(project, tmp_path):
    (tmp_path / "shop" / "mixed.py").write_text(textwrap.dedent('''
        from .base import Base

        class Sync(Base):
            def get(self):
                return 1
    '''), encoding="utf-8")
    assert set(summaries.kinds_of("shop.mixed.Sync.get")) == {DEF, ASYNC_DEF}


def test_seeded_tree_wins_over_the_file_on_disk(project, tmp_path):
    tree = ast.parse("async def helper():\n    pass\n")
    summaries.seed("shop.client", tree)
    assert summaries.kinds_of("shop.client.helper") == {ASYNC_DEF}


def test_a_seeded_tree_may_hand_its_names_over(project):
    tree = ast.parse("def helper():\n    pass\n\n\nglobals()['helper'] = None\n")
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    summaries.seed("shop.client", tree, names)
    assert summaries.kinds_of("shop.client.helper") is None
