from unittest.mock import MagicMock

import pytest


@pytest.fixture
def fake_client():
    return MagicMock()
