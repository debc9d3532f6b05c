import unittest


class TestArithmetic(unittest.IsolatedAsyncioTestCase):
    async def test_sum(self):
        self.assertEqual(1 + 1, 2)
