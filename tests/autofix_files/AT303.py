import pytest
from pytest import ANY, raises
from unittest.mock import call


def test_namespace():
    m = pytest.MagicMock()
    m(ANY)
    m.assert_has_calls([call(pytest.ANY)])
    with raises(ValueError):
        raise ValueError
