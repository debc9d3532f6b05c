from unittest.mock import MagicMock, patch

from service import Cache, reset


def test_reset_clears_cache():
    with patch.object(Cache, "clear", new_callable=MagicMock) as clear:
        assert reset(Cache()) == "reset"
        clear.assert_called_once()
