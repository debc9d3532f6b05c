import asyncio

import pytest


async def fetch():
    return 1


class Client:
    async def ping(self):
        return True


@pytest.mark.asyncio
async def test_dropped():
    await fetch()
    client = Client()
    assert await client.ping()
    if not await client.ping():
        pass
    ok = await client.ping() and True
    await asyncio.sleep(0)  # the comment stays
    assert ok


def test_sync():
    fetch()  # no fix: await needs async code


@pytest.mark.asyncio
async def test_inner():
    def helper():
        fetch()  # no fix: a sync function inside the async test

    helper()


def make(name):
    return Client()


@pytest.mark.asyncio
async def test_callee_spelt_with_quotes():
    await make('x').ping()
    await make(
        "y",  # a comment inside the call
    ).ping()
