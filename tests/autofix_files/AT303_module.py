import pytest
from unittest import mock


def test_module_imported():
    m = pytest.MagicMock()
    m.assert_not_called()
    assert mock
