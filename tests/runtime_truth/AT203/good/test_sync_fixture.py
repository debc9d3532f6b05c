import asyncio

import pytest
import pytest_asyncio


async def poll():
    return "ready"


@pytest_asyncio.fixture
async def poller():
    task = asyncio.create_task(poll())
    yield task
    await task


@pytest.mark.asyncio
async def test_poller_is_ready(poller):
    assert await poller == "ready"
