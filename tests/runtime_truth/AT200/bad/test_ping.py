class Client:
    async def ping(self):
        return False  # the server is down


def test_server_is_up():
    client = Client()
    assert client.ping()  # a coroutine object is always true
