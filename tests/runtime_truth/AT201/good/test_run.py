import pytest


async def compute():
    return 42


@pytest.mark.asyncio
async def test_compute():
    assert await compute() == 42
