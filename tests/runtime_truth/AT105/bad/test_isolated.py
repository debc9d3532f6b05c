import unittest


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def setUp(self):  # IsolatedAsyncioTestCase calls setUp without await too
        self.ready = True

    async def test_ready(self):
        self.assertTrue(self.ready)
