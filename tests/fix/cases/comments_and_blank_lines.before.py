import os

# Where the state lives.
STATE = "state.txt"


def save_text(path, text):
    # Write next to the destination, then swap it in.
    tmp = path + ".tmp"

    with open(tmp, "w") as fh:  # text mode: newlines translated
        fh.write(text)  # the whole document

    # Publish it.
    os.replace(tmp, path)  # atomic on POSIX

    return path
