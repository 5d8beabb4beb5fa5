import os


class FilePath:
    def __init__(self, path):
        self.path = path

    def sibling(self, suffix):
        return FilePath(self.path + suffix)

    def open(self, mode="r"):
        return open(self.path, mode + "b")


class LocalFS:
    def write_to(self, path, data):
        with open(path, "wb") as fh:
            fh.write(data)

    def move(self, src, dst):
        os.replace(src, dst)


def set_content(dest: FilePath, content):
    tmp = dest.sibling(".tmp")
    with tmp.open("w") as f:
        f.write(content)
    os.replace(tmp.path, dest.path)


def save(path, data):
    fs = LocalFS()
    fs.write_to(path + ".tmp", data)
    fs.move(path + ".tmp", path)
