import pytest


@pytest.mark.anyio
async def test_connects():
    assert True


@pytest.mark.anyio
async def test_reconnects():
    assert 1 == 1
