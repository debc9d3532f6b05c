import pytest
from pytest import raises
from unittest.mock import call, ANY, MagicMock


def test_namespace():
    m = MagicMock()
    m(ANY)
    m.assert_has_calls([call(ANY)])
    with raises(ValueError):
        raise ValueError
