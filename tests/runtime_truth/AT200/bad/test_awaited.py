import pytest
import pytest_asyncio

from pools import Pool, open_pool


@pytest_asyncio.fixture
async def pool():
    return await Pool.create()


@pytest.mark.asyncio
async def test_close_created():
    created = await Pool.create()
    created.close()  # dropped: the close never runs


@pytest.mark.asyncio
async def test_close_opened():
    opened = await open_pool()
    opened.close()  # dropped too


@pytest.mark.asyncio
async def test_close_from_awaited_fixture(pool):
    pool.close()  # and here
