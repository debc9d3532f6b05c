"""No import of pytest: one is added after the module's imports."""
import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleeps():
    await asyncio.sleep(0)
