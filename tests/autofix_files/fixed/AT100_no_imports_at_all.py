import pytest


@pytest.mark.asyncio
async def test_first_line():
    pass
