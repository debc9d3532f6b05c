"""The new import goes where isort would put it: in order, in the third-party group."""
from __future__ import annotations

import asyncio
import sys

import attr
import yarl
from attr import define

from . import helpers


async def test_grouped():
    await asyncio.sleep(0)
    assert sys and attr and yarl and define and helpers
