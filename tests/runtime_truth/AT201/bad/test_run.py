import asyncio

import pytest


async def compute():
    return 42


@pytest.mark.asyncio
async def test_compute():
    assert asyncio.run(compute()) == 42
