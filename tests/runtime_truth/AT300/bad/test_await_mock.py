from unittest.mock import MagicMock

import pytest


@pytest.mark.asyncio
async def test_fetch_uses_client():
    client = MagicMock()
    await client.fetch()
    client.fetch.assert_called_once()
