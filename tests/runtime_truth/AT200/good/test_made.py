import asyncio
from typing import Generic, TypeVar

T = TypeVar("T")


class Box(Generic[T]):
    async def fetch(self):
        return 1


class TestBoxes:
    def make_box(self):
        box = Box()
        return box

    def test_helper_made_box(self):
        box = self.make_box()
        assert asyncio.run(box.fetch()) == 1


def test_generic_box():
    assert asyncio.run(Box[int]().fetch()) == 1
