from unittest.mock import Mock

from service import Mailer, notify


def test_notify_sends():
    mailer = Mock(spec_set=Mailer)
    notify(mailer)
    mailer.send_message.assert_called_once_with("ops")
