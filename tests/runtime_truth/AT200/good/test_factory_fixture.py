import pytest


@pytest.mark.asyncio
async def test_close_made_by_factory(make_server):
    server = await make_server("app")
    await server.close()
    assert server.closed
