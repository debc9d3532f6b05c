import pytest


@pytest.mark.asyncio
async def test_close_made_by_factory(make_server):
    server = await make_server("app")
    server.close()  # dropped: the server is never closed
