import pytest


def test_name_taken():
    AsyncMock = None
    assert pytest.AsyncMock() is not AsyncMock
