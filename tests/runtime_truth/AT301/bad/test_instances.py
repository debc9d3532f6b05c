from unittest.mock import Mock, patch

import pytest

from service import Service, handle


@pytest.fixture
def service():
    return Service()


@pytest.mark.asyncio
async def test_fixture_instance(service):
    with patch.object(service, "load", Mock(return_value={"value": 1})):
        assert await handle(service) == 1


class TestSetUp:
    def setup_method(self):
        self.service = Service()

    @pytest.mark.asyncio
    async def test_setup_instance(self):
        with patch.object(self.service, "load", Mock(return_value=True)):
            assert await handle(self.service) is None
