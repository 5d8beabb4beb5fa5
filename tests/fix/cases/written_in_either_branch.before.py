import os


def save(path, a, b):
    if a:
        fh = open(path + ".tmp", "w")
        fh.write(a)
        fh.close()
    else:
        fh = open(path + ".tmp", "w")
        fh.write(b)
        fh.close()
    os.replace(path + ".tmp", path)
