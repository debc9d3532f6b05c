import pytest


@pytest.mark.asyncio
def test_parse():
    assert int("1") == 1
