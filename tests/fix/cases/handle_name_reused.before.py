import json
import os


def save_pair(directory, index, data):
    index_path = os.path.join(directory, "index.json")
    data_path = os.path.join(directory, "data.bin")
    with open(data_path + ".tmp", "wb") as fh:
        fh.write(data)
    os.replace(data_path + ".tmp", data_path)
    with open(index_path + ".tmp", "w") as fh:
        json.dump(index, fh)
    os.replace(index_path + ".tmp", index_path)
