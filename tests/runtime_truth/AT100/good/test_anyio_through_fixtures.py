import pytest


@pytest.fixture
def backend_name(anyio_backend):
    return anyio_backend


@pytest.fixture
def client(backend_name):
    return {"backend": backend_name}


async def test_through_fixtures(client):
    # no mark: anyio's plugin runs a coroutine test whose fixtures include anyio_backend
    assert client["backend"] == "asyncio"
