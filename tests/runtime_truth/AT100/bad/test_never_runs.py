import asyncio


async def test_fetch_returns_data():
    await asyncio.sleep(0)
    assert 1 == 2  # never reached: strict mode does not run this test
