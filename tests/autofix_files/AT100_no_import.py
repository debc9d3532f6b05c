"""No import of pytest: one is added after the module's imports."""
import asyncio


async def test_sleeps():
    await asyncio.sleep(0)
