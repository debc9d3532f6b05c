import asyncio

import pytest

loops = []


@pytest.mark.asyncio(scope="module")
async def test_first():
    loops.append(asyncio.get_running_loop())


@pytest.mark.asyncio(scope="module")
async def test_same_loop():
    assert loops == [asyncio.get_running_loop()]
