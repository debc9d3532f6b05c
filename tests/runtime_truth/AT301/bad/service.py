class Service:
    async def load(self):
        return {"real": True}


async def handle(service):
    data = await service.load()
    return data["value"]
