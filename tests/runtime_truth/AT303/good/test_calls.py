from unittest.mock import ANY, MagicMock


def test_any_argument():
    callback = MagicMock()
    callback("x")
    callback.assert_called_once_with(ANY)
