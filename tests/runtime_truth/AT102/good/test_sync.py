def test_parse():
    assert int("1") == 1
