from netpkg import http


def test_write_eof():
    msg = http.PayloadWriter()
    msg.write_eof()
