import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    loop.custom = True  # pytest-asyncio 1.x never uses this fixture
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_custom_loop():
    assert getattr(asyncio.get_running_loop(), "custom", False)
