"""AT100: the asyncio mark goes right above the def; pytest is imported already."""
import sys

import pytest


@pytest.mark.asyncio
async def test_unmarked():
    assert sys


# a comment above the decorators stays
@pytest.mark.parametrize("x", [1, 2])  # and one at the end of a decorator
@pytest.mark.asyncio
async def test_parametrized(x):
    pass


class TestClass:
    @pytest.mark.asyncio
    async def test_method(self):  # a comment on the def line
        pass


async def test_silenced():  # noqa: AT100
    pass
