import asyncio

import pytest


@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop():
    assert asyncio.get_running_loop().is_running()
