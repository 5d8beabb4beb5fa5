import os
import shutil
import tempfile
import zipfile


def build(target, files):
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target))
    with os.fdopen(fd, "w+b") as fh, zipfile.ZipFile(fh, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    os.replace(temp, target)


def copy_in(source, target):
    with tempfile.NamedTemporaryFile(dir=os.path.dirname(target), delete=False) as tmp:
        temp_path = tmp.name
    shutil.copyfile(source, temp_path)
    os.replace(temp_path, target)
