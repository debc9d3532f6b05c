from unittest.mock import patch

from pool import Pool


def test_patched_pool_size():
    with patch.object(Pool, "sise", 0):
        assert Pool(2).take() == 1
