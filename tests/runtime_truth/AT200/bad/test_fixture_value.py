import pytest

from store import Manager


@pytest.fixture
def manager():
    return Manager()


def test_open_from_fixture(manager):
    result = manager.open("x")
    assert result


class TestOpen:
    def setup_method(self):
        self.manager = Manager()

    def test_open_from_setup(self):
        assert self.manager.open("y")
