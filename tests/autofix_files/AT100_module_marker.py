import pytest


@pytest.mark.anyio
async def test_marked():
    pass


async def test_unmarked():
    pass
