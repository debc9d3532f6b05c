import pytest


async def compute():
    return 42


async def compute_now():
    return await compute()


@pytest.mark.asyncio
async def test_compute_through_a_helper():
    assert await compute_now() == 42
