import unittest.mock

import pytest


def test_name_taken():
    AsyncMock = None
    assert unittest.mock.AsyncMock() is not AsyncMock
