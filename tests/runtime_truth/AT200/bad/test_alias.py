class Channel:
    async def ping(self):
        return 1

    handler = ping  # the same coroutine function under another name


def test_aliased_method():
    Channel().handler()  # dropped: the ping never runs
