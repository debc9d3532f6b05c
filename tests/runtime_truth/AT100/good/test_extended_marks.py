import asyncio

import pytest

pytestmark = []
pytestmark.extend([pytest.mark.asyncio])


async def test_runs_under_the_extended_mark():
    await asyncio.sleep(0)
    assert True
