import pytest

from clients import Client


@pytest.mark.asyncio
async def test_get_entered():
    async with Client() as client:
        await client.get("/")
