import os
import tempfile


def save_text(path, text):
    directory = os.path.dirname(path)
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False) as fh:
        fh.write(text)
    os.replace(fh.name, path)
