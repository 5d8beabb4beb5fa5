import functools
import os


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


# The one writer of this module.
@logged
@functools.lru_cache(maxsize=None)
def save_text(path: str, text: str = "", *, mode: str = "w") -> str:
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return path
