from unittest.mock import AsyncMock, MagicMock, patch

import pytest


class TestNotifier:
    def setup_method(self):
        self.client = MagicMock()
        self.client.fetch = AsyncMock(return_value=1)
        self.store = MagicMock()

    @pytest.mark.asyncio
    async def test_fetch_uses_client(self):
        assert await self.client.fetch() == 1
        self.client.fetch.assert_awaited_once()

    @pytest.mark.asyncio
    async def test_patched_for_one_test(self):
        with patch.object(self.store, "refresh", AsyncMock(return_value=2)):
            assert await self.store.refresh() == 2
