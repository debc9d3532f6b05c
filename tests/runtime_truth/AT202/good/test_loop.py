import asyncio


async def compute():
    return 42


def test_first():
    assert asyncio.run(compute()) == 42


def test_second():
    assert asyncio.run(compute()) == 42
