import pytest


@pytest.mark.asyncio
async def test_open_from_plugin_fixture(opener):
    assert await opener.open("z") == "z"
