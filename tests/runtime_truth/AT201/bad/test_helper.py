import asyncio

import pytest


async def compute():
    return 42


def compute_now():
    return asyncio.run(compute())


@pytest.mark.asyncio
async def test_compute_through_a_helper():
    assert compute_now() == 42
