import pytest

from store import Manager


@pytest.fixture
def opener():
    return Manager()
