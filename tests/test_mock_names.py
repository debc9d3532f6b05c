"""The mock-name tables agree with unittest.mock and pytest as installed."""

from __future__ import annotations

import sys
import unittest.mock

import pytest

from flake8_async_tests import mock_names as mocks


def test_real_assertions_exist_on_async_mock():
    missing = [n for n in mocks.REAL_ASSERTS if not callable(getattr(unittest.mock.AsyncMock(), n))]
    assert missing == []


@pytest.mark.parametrize("name", sorted(mocks.FAKE_ASSERTS | mocks.FAKE_AWAIT_ASSERTS))
def test_fake_assertions_are_not_mock_methods(name):
    assert name not in dir(unittest.mock.AsyncMock)
    m = unittest.mock.MagicMock()
    if sys.version_info >= (3, 12) and name in mocks.FAKE_ASSERTS:
        with pytest.raises(AttributeError):
            getattr(m, name)
    else:
        assert getattr(m, name)(1)  # a truthy child mock: asserts nothing


def test_mock_module_names_are_not_in_pytest():
    present = [n for n in mocks.MOCK_MODULE_NAMES if n != "ThreadingMock"
               and not hasattr(unittest.mock, n)]
    assert present == []
    assert [n for n in mocks.MOCK_MODULE_NAMES if hasattr(pytest, n)] == []


def test_mock_api_names_exist():
    m = unittest.mock.AsyncMock()
    assert [n for n in mocks.MOCK_API if not hasattr(m, n)] == []
