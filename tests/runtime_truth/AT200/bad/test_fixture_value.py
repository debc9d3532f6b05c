import pytest

from store import Manager, open_manager


@pytest.fixture
def manager():
    return Manager()


@pytest.fixture
def made_manager():
    return open_manager()


def test_open_from_fixture(manager):
    result = manager.open("x")
    assert result


class TestOpen:
    def setup_method(self):
        self.manager = Manager()

    def test_open_from_setup(self):
        assert self.manager.open("y")


def test_open_from_made_fixture(made_manager):
    assert made_manager.open("z")
