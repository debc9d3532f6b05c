import asyncio

import pytest


class TestService:
    async def setup_method(self, method):
        await asyncio.sleep(0)
        self.ready = True  # never runs

    @pytest.mark.asyncio
    async def test_ready(self):
        assert self.ready
