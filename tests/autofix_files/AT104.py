import pytest
from pytest import fixture


@pytest.fixture
async def client():
    return 1


@fixture(scope="module", autouse=True)  # the arguments stay
async def server():
    yield 1


class TestThing:
    @pytest.fixture(name="thing")
    async def method_fixture(self):
        return 1


@pytest.fixture(
    scope="session",
)
async def session_wide():
    yield 1
