class Pool:
    __slots__ = ("size", "idle")

    def __init__(self, size):
        self.size = size
        self.idle = list(range(size))

    def take(self):
        return self.idle.pop()
