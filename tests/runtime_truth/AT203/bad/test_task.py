import asyncio

import pytest


async def notify(events):
    await asyncio.sleep(0)
    raise ConnectionError("notification failed")


@pytest.mark.asyncio
async def test_notify_in_background():
    events = []
    asyncio.create_task(notify(events))
    await asyncio.sleep(0.01)
    assert events == []
