import asyncio

import pytest


@pytest.mark.asyncio(loop_scope="module")
async def test_old_scope():
    pass


pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.mark.asyncio(scope="module", loop_scope="module")  # no fix: both are given
async def test_both():
    pass


@pytest.fixture
def event_loop():  # no fix: the override has no mechanical replacement
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
