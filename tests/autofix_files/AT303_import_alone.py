"""An import from pytest of mock names only: the line moves to unittest.mock."""
from pytest import MagicMock, patch as mock_patch  # these never came from pytest


def test_it():
    with mock_patch("os.getcwd", MagicMock()):
        pass
