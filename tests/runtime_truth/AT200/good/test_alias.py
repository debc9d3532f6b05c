import asyncio


class Channel:
    async def ping(self):
        return 1

    handler = ping  # the same coroutine function under another name


def test_aliased_method():
    assert asyncio.run(Channel().handler()) == 1
