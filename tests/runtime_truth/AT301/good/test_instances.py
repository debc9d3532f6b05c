from unittest.mock import AsyncMock, patch

import pytest

from service import Service, handle


@pytest.fixture
def service():
    return Service()


@pytest.mark.asyncio
async def test_fixture_instance(service):
    with patch.object(service, "load", AsyncMock(return_value={"value": 1})):
        assert await handle(service) == 1


class TestSetUp:
    def setup_method(self):
        self.service = Service()

    @pytest.mark.asyncio
    async def test_setup_instance(self):
        with patch.object(self.service, "load", AsyncMock(return_value={"value": None})):
            assert await handle(self.service) is None
