import pytest as pt
from pytest import mark


async def test_through_mark():
    pass


def test_uses_alias():
    pt.skip("unused")
