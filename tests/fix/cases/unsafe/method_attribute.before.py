import os as _os
import tempfile


class Store:
    def __init__(self, path):
        self.path = path

    def save(self, data):
        fd, tmp = tempfile.mkstemp(".tmp", "store-",)
        try:
            _os.write(fd, data)
            _os.fsync(fd)
        finally:
            _os.close(fd)
        _os.replace(tmp, self.path)
        dfd = _os.open(_os.path.dirname(_os.path.abspath(self.path)), _os.O_RDONLY)
        try:
            _os.fsync(dfd)
        finally:
            _os.close(dfd)
