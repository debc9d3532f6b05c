import asyncio

import pytest
import pytest_asyncio


class TestService:
    @pytest_asyncio.fixture(autouse=True)
    async def setup(self):
        await asyncio.sleep(0)
        self.ready = True

    @pytest.mark.asyncio
    async def test_ready(self):
        assert self.ready
