class Manager:
    async def open(self, name):
        return name


def open_manager():
    manager = Manager()
    return manager
