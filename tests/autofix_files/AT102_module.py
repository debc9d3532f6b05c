import pytest

pytestmark = (pytest.mark.filterwarnings("ignore"), pytest.mark.asyncio)


def test_sync():
    pass


class TestClass:
    def test_sync_method(self):
        pass
