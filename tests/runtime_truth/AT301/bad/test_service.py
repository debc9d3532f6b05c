from unittest.mock import MagicMock, patch

import pytest

from service import Service, handle


@pytest.mark.asyncio
async def test_handle_reads_value():
    with patch.object(Service, "load", new=MagicMock()):
        assert await handle(Service()) == 1
