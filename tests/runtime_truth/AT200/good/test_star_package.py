import pytest

from netpkg import http


@pytest.mark.asyncio
async def test_write_eof():
    msg = http.PayloadWriter()
    assert await msg.write_eof() == b""
