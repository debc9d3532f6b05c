import pytest

pytestmark = [pytest.mark.asyncio]


def test_sync():  # no fix: test_async would lose the module's mark
    pass


async def test_async():
    pass
