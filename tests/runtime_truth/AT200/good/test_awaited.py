import pytest
import pytest_asyncio

from pools import Pool, open_pool


@pytest_asyncio.fixture
async def pool():
    return await Pool.create()


@pytest.mark.asyncio
async def test_close_created():
    created = await Pool.create()
    await created.close()


@pytest.mark.asyncio
async def test_close_opened():
    opened = await open_pool()
    await opened.close()


@pytest.mark.asyncio
async def test_close_from_awaited_fixture(pool):
    await pool.close()
