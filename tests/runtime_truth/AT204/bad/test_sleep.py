import asyncio
import time

import pytest


async def slow_handler():
    time.sleep(0.3)
    return "done"


@pytest.mark.asyncio
async def test_slow_handler_times_out():
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(slow_handler(), timeout=0.05)
