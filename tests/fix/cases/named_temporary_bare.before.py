import os
from tempfile import NamedTemporaryFile


def save_text(path, text):
    fh = NamedTemporaryFile(mode="w", dir=os.path.dirname(path), delete=False)
    tmp = fh.name
    fh.write(text)
    fh.close()
    os.replace(tmp, path)
