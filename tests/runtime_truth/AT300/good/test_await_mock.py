from unittest.mock import AsyncMock, MagicMock

import pytest


@pytest.mark.asyncio
async def test_fetch_uses_client():
    client = MagicMock()
    client.fetch = AsyncMock()
    await client.fetch()
    client.fetch.assert_awaited_once()
