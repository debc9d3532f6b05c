import pytest


@pytest.mark.asyncio
async def test_fetch_from_plugin_fixture(fake_client):
    assert await fake_client.fetch() == 1
