import os


class Store:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"

    def save(self, data):
        with open(self.tmp_path, "wb") as fh:
            fh.write(data)
        os.replace(self.tmp_path, self.path)

    def save_lines(self, lines):
        self.fh = open(self.tmp_path, "w")
        for line in lines:
            self.fh.write(line + "\n")
        self.fh.close()
        os.replace(self.tmp_path, self.path)
