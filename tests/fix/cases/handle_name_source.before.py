import os


def save_text(path, text):
    fh = open(path + ".tmp", "w")
    fh.write(text)
    fh.close()
    os.replace(fh.name, path)
