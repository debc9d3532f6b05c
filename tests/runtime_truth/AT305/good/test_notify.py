from unittest.mock import Mock


def notify(mailer):
    mailer.send("ops")


def test_notify_sends_to_ops():
    mailer = Mock()
    notify(mailer)
    mailer.send.assert_called_once_with("ops")
