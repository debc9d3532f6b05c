import unittest


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.ready = True

    async def test_ready(self):
        self.assertTrue(self.ready)
