import pytest


@pytest.mark.anyio
async def test_connects():
    assert True


async def test_reconnects():
    assert 1 == 2  # never reached: neither anyio nor pytest-asyncio runs this test
