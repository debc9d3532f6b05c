from unittest.mock import MagicMock

import pytest


class TestNotifier:
    def setup_method(self):
        self.client = MagicMock()

    @pytest.mark.asyncio
    async def test_fetch_uses_client(self):
        await self.client.fetch()
        self.client.fetch.assert_called_once()
