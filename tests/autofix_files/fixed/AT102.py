import pytest
from pytest import mark


def test_sync_marked():
    pass


@pytest.mark.parametrize("x", [1])
# a comment between decorators stays
# and so does this one
def test_sync_marked_called(x):
    pass


class TestAllSync:
    def test_one(self):
        pass

    def test_two(self):
        pass


@pytest.mark.asyncio
class TestMixed:
    def test_sync(self):  # no fix: test_async would lose the class's mark
        pass

    async def test_async(self):
        pass


class TestPytestmarkList:
    pytestmark = [pytest.mark.filterwarnings("ignore")]

    def test_sync(self):
        pass


class TestPytestmarkSingle:
    # this comment stays

    def test_sync(self):
        pass
