class Pool:
    @classmethod
    async def create(cls):
        return cls()

    async def close(self):
        return None


async def open_pool():
    pool = Pool()
    return pool
