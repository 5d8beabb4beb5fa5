import asyncio
import os


async def save_bytes(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    await asyncio.sleep(0)
    os.replace(tmp, path)
