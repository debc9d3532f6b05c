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
        box.fetch()  # dropped: the fetch never runs


def test_generic_box():
    Box[int]().fetch()  # dropped too
