class PayloadWriter:
    async def write_eof(self, chunk=b""):
        return chunk
