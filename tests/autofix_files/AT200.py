import asyncio

import pytest


async def fetch():
    return 1


class Client:
    async def ping(self):
        return True


@pytest.mark.asyncio
async def test_dropped():
    fetch()
    client = Client()
    assert client.ping()
    if not client.ping():
        pass
    ok = client.ping() and True
    asyncio.sleep(0)  # the comment stays
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
    make('x').ping()
    make(
        "y",  # a comment inside the call
    ).ping()
