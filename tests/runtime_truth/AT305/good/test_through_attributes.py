from unittest.mock import Mock

import pytest


class Limiter:
    def set_rate(self, rate):
        self.rate = rate


class Throttle:
    def __init__(self):
        self.limiter = Limiter()

    def slow_down(self):
        self.limiter.set_rate(1)


class TestThrottle:
    @pytest.fixture(autouse=True)
    def setup(self):
        self.limiter = Mock(spec=Limiter)

    def test_slow_down(self):
        throttle = Throttle()
        throttle.limiter = self.limiter
        throttle.slow_down()
        self.limiter.set_rate.assert_called_with(1)


def test_replaced_on_an_object():
    throttle = Throttle()
    throttle.limiter = Mock(spec=Limiter)
    throttle.slow_down()
    throttle.limiter.set_rate.assert_called_once_with(1)
