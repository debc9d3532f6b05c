from unittest import mock


def test_retries_patched():
    with mock.patch("mailing.legacy.RETRIES", 0):
        pass
