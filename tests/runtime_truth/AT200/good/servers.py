class Server:
    def __init__(self, app):
        self.app = app
        self.closed = False

    async def start(self):
        return None

    async def close(self):
        self.closed = True
