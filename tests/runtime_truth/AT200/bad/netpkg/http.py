from .writer import PayloadWriter

__all__ = ["PayloadWriter"]
