from unittest.mock import patch

from pool import Pool


def test_patched_pool_take():
    with patch.object(Pool, "take", return_value=7):
        assert Pool(2).take() == 7
