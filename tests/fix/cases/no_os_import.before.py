import shutil


def save_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    shutil.move(tmp, path)
