from unittest.mock import AsyncMock, Mock

import pytest


def test_fake_asserts():
    m = Mock()
    m(1)
    m.assert_called_once_with(1)
    m.assert_called_with(1)  # the assert goes
    m.child.assert_any_call(2)
    m.assert_called_once()  # called from now on
    m.assert_called()
    ok = m.called_with(1)  # no fix: the value is used
    assert m.called_with(1), "message"  # no fix: the assert has a message
    assert ok


@pytest.mark.asyncio
async def test_awaits():
    a = AsyncMock()
    await a(3)
    a.assert_awaited_once_with(3)
