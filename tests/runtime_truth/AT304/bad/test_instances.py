from unittest.mock import patch

import pytest

from service import Mailer


@pytest.fixture
def mailer():
    return Mailer()


def test_fixture_instance(mailer):
    with patch.object(mailer, "send_message"):
        mailer.send("ops")


class TestSetUp:
    def setup_method(self):
        self.mailer = Mailer()

    def test_setup_instance(self):
        with patch.object(self.mailer, "deliver"):
            self.mailer.send("ops")


def test_local_instance():
    mailer = Mailer()
    with patch.object(mailer, "flush"):
        mailer.send("ops")
