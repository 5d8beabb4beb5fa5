import os


def make_saver(directory):
    def save(name, text):
        path = os.path.join(directory, name)
        tmp = path + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)

    return save
