import os
import sys


def main(argv):
    return "\n".join(argv) + "\n"


if __name__ == "__main__":
    out = sys.argv[1]
    with open(out + ".tmp", "w") as fh:
        fh.write(main(sys.argv[2:]))
    os.replace(out + ".tmp", out)
