def test_open_from_plugin_fixture(opener):
    assert opener.open("z")
