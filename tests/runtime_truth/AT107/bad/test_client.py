import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="session")
async def client():
    yield {"connected": True}


@pytest.mark.asyncio
async def test_connected(client):
    assert client["connected"]
