import pytest
import pytest_asyncio


@pytest.mark.asyncio  # marks on fixtures do nothing
@pytest_asyncio.fixture
async def client():
    yield 1


@pytest.fixture
@pytest.mark.usefixtures("client")
def server():
    return 1


@pytest.mark.skip(reason="kept on purpose")  # noqa: AT103
@pytest.fixture
def skipped():
    return 1


@pytest.mark.asyncio  # without it, AT104 shows, and a second pass fixes that
@pytest.fixture
async def plain():
    yield 1
