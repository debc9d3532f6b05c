import pytest


class Client:
    async def ping(self):
        return True


@pytest.mark.asyncio
async def test_server_is_up():
    client = Client()
    assert await client.ping()
