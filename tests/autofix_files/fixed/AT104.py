import pytest
import pytest_asyncio
from pytest import fixture


@pytest_asyncio.fixture
async def client():
    return 1


@pytest_asyncio.fixture(scope="module", autouse=True, loop_scope="module")  # the arguments stay
async def server():
    yield 1


class TestThing:
    @pytest_asyncio.fixture(name="thing")
    async def method_fixture(self):
        return 1


@pytest_asyncio.fixture(
    scope="session",
    loop_scope="session",
)
async def session_wide():
    yield 1
