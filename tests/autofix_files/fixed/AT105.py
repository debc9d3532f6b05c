import unittest


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):  # runs from now on
        self.ready = True

    async def asyncTearDown(self):
        self.ready = False

    async def test_ready(self):
        self.assertTrue(self.ready)


class TestHasBoth(unittest.IsolatedAsyncioTestCase):
    async def setUp(self):  # no fix: asyncSetUp is there already
        pass

    async def asyncSetUp(self):
        pass


class TestPytestStyle:
    async def setup_method(self, method):  # no fix: an autouse fixture is a redesign
        pass
