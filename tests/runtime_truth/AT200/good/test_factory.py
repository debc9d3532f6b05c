import asyncio


class Pool:
    @classmethod
    def connect(cls, url):
        return cls()

    async def fetch(self):
        return 1


def test_factory_made_pool():
    pool = Pool.connect("redis://")
    assert asyncio.run(pool.fetch()) == 1
