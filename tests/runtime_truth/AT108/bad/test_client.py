import pytest


class TestClient:
    def __init__(self):
        self.base_url = "http://example.invalid"

    @pytest.mark.asyncio
    async def test_base_url(self):
        assert self.base_url == "wrong"


class ClientChecks:
    @pytest.mark.asyncio
    async def test_never_collected(self):
        assert False


def test_something_else():
    pass
