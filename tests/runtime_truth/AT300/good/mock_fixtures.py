from unittest.mock import AsyncMock, MagicMock

import pytest


@pytest.fixture
def fake_client():
    client = MagicMock()
    client.fetch = AsyncMock(return_value=1)
    return client
