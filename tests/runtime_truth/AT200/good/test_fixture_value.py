import pytest

from store import Manager


@pytest.fixture
def manager():
    return Manager()


@pytest.mark.asyncio
async def test_open_from_fixture(manager):
    result = await manager.open("x")
    assert result


class TestOpen:
    def setup_method(self):
        self.manager = Manager()

    @pytest.mark.asyncio
    async def test_open_from_setup(self):
        assert await self.manager.open("y")
