import unittest


class TestArithmetic(unittest.TestCase):
    async def test_sum(self):
        self.assertEqual(1 + 1, 3)  # never runs: the test passes anyway
