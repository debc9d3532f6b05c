import pytest


def test_any_argument():
    callback = pytest.MagicMock()
    callback("x")
    callback.assert_called_once_with(pytest.ANY)
