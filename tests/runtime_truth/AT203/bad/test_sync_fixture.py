import asyncio

import pytest


async def poll():
    return "ready"


@pytest.fixture
def poller():
    return asyncio.create_task(poll())


@pytest.mark.asyncio
async def test_poller_is_ready(poller):
    assert await poller == "ready"
