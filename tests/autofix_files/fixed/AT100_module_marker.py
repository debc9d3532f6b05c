import pytest


@pytest.mark.anyio
async def test_marked():
    pass


@pytest.mark.anyio
async def test_unmarked():
    pass
