import pytest
import pytest_asyncio


# marks on fixtures do nothing
@pytest_asyncio.fixture
async def client():
    yield 1


@pytest.fixture
def server():
    return 1


@pytest.mark.skip(reason="kept on purpose")  # noqa: AT103
@pytest.fixture
def skipped():
    return 1


# without it, AT104 shows, and a second pass fixes that
@pytest_asyncio.fixture
async def plain():
    yield 1
