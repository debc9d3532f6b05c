import pytest


class TestClient:
    def setup_method(self):
        self.base_url = "http://example.invalid"

    @pytest.mark.asyncio
    async def test_base_url(self):
        assert self.base_url == "http://example.invalid"


class TestClientChecks:
    @pytest.mark.asyncio
    async def test_now_collected(self):
        assert True


def test_something_else():
    pass
