import pytest
import pytest_asyncio


@pytest.mark.asyncio
@pytest_asyncio.fixture
async def number():
    return 1


@pytest.mark.asyncio
async def test_number(number):
    assert number == 1
