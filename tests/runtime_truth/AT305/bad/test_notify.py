from unittest.mock import Mock


def notify(mailer):
    mailer.send("dev")


def test_notify_sends_to_ops():
    mailer = Mock()
    notify(mailer)
    mailer.send.called_once_with("ops")  # wrong address, still passes
