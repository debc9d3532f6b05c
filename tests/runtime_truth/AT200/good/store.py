class Manager:
    async def open(self, name):
        return name
