async def test_first_line():
    pass
