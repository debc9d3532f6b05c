import pytest

from servers import Server

pytest_plugins = ["plugin_fixtures"]


@pytest.fixture
def make_server():
    """A factory fixture, as aiohttp's aiohttp_server: it yields a coroutine function."""
    servers = []

    async def go(app):
        server = Server(app)
        await server.start()
        servers.append(server)
        return server

    yield go
