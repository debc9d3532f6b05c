from unittest.mock import AsyncMock, patch

import pytest

from service import Service, handle


@pytest.mark.asyncio
async def test_handle_reads_value():
    with patch.object(Service, "load", new=AsyncMock(return_value={"value": 1})):
        assert await handle(Service()) == 1
