import asyncio


async def compute():
    return 42


def test_first():
    assert asyncio.run(compute()) == 42


def test_second():
    loop = asyncio.get_event_loop()  # raises: asyncio.run() above cleared the loop
    assert loop.run_until_complete(compute()) == 42
