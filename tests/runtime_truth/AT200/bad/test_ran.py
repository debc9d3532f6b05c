import asyncio

from pools import open_pool


def test_close_ran():
    made = asyncio.run(open_pool())
    made.close()  # dropped: the close never runs
