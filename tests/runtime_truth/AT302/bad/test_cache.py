from unittest.mock import AsyncMock, patch

from service import Cache, reset


def test_reset_clears_cache():
    with patch.object(Cache, "clear", new_callable=AsyncMock) as clear:
        assert reset(Cache()) == "reset"
        clear.assert_called_once()
