import os


def replace_file(src, dst):
    os.replace(src, dst)


def retry(func, *args):
    for attempt in range(3):
        try:
            return func(*args)
        except PermissionError:
            if attempt == 2:
                raise


def save(path, data):
    with open(path + ".tmp", "wb") as fh:
        fh.write(data)
    retry(replace_file, path + ".tmp", path)
