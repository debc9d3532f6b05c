__all__ = ["Stream"]


class Stream:
    pass
