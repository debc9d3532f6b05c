import pytest

from store import Manager, open_manager


@pytest.fixture
def manager():
    return Manager()


@pytest.fixture
def made_manager():
    return open_manager()


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


@pytest.mark.asyncio
async def test_open_from_made_fixture(made_manager):
    assert await made_manager.open("z")
