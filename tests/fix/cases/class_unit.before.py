import os


class AtomicFile:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"
        self.fh = open(self.tmp_path, "w")

    def write(self, text):
        self.fh.write(text)

    def commit(self):
        self.fh.close()
        os.replace(self.tmp_path, self.path)
