import pytest

events = []


async def record():
    events.append("ran")


@pytest.mark.asyncio
async def test_records():
    record()
    assert events == ["ran"]
