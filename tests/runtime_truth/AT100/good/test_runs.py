import asyncio

import pytest


@pytest.mark.asyncio
async def test_fetch_returns_data():
    await asyncio.sleep(0)
    assert 1 == 1
