from unittest import mock

import mailing.smtp


def test_retries_patched():
    with mock.patch("mailing.smtp.RETRIES", 0):
        assert mailing.smtp.RETRIES == 0
