import os


def save_text(path, text):
    tmp = path + ".tmp"
    fh = open(tmp, "w", encoding="utf-8")
    fh.write(text)
    fh.close()
    os.rename(tmp, path)
