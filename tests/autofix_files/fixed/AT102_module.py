import pytest

pytestmark = (pytest.mark.filterwarnings("ignore"),)


def test_sync():
    pass


class TestClass:
    def test_sync_method(self):
        pass
