# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): DUR103, an fsync of a buffered file object whose
# buffer was not flushed first. Independent of renames; raw fds never need a flush.

# case: fsync-without-flush-before-durable-rename
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        os.fsync(fh.fileno())  # DUR103@8
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: fsync-without-flush-and-no-dir-sync
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        os.fsync(fh.fileno())  # DUR103
    os.replace(tmp, path)  # DUR102

# case: append-log-without-flush
import json
import os


def append_event(log_path, event):
    with open(log_path, "a") as fh:
        fh.write(json.dumps(event) + "\n")
        os.fsync(fh.fileno())  # DUR103

# case: append-log-flushed
import json
import os


def append_event(log_path, event):
    with open(log_path, "a") as fh:
        fh.write(json.dumps(event) + "\n")
        fh.flush()
        os.fsync(fh.fileno())

# case: unbuffered-binary-keyword
import os


def append_record(log_path, record):
    with open(log_path, "ab", buffering=0) as fh:
        fh.write(record)
        os.fsync(fh.fileno())

# case: unbuffered-binary-positional
import os


def append_record(log_path, record):
    with open(log_path, "ab", 0) as fh:
        fh.write(record)
        os.fsync(fh.fileno())

# case: raw-fd-needs-no-flush
import os


def append_record(log_path, record):
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, record)
        os.fsync(fd)
    finally:
        os.close(fd)

# case: mkstemp-raw-fd-needs-no-flush
import os
import tempfile


def save_bytes(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: fdopen-fd-fsynced-without-flush
import json
import os
import tempfile


def save_state(path, state):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as fh:
        json.dump(state, fh)
        os.fsync(fd)  # DUR103
    os.replace(tmp, path)  # DUR102

# case: fdopen-fd-fsynced-after-flush
import json
import os
import tempfile


def save_state(path, state):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fd)
    os.replace(tmp, path)  # DUR102

# case: fileno-variable-without-flush
import os


def append_line(log_path, line):
    with open(log_path, "a") as fh:
        fh.write(line)
        fd = fh.fileno()
        os.fsync(fd)  # DUR103

# case: fdatasync-without-flush
import os


def append_line(log_path, line):
    with open(log_path, "a") as fh:
        fh.write(line)
        os.fdatasync(fh.fileno())  # DUR103

# case: fsync-of-file-object-without-flush
import os


def append_line(log_path, line):
    with open(log_path, "a") as fh:
        fh.write(line)
        os.fsync(fh)  # DUR103

# case: flush-before-the-last-write
import os


def save_report(path, header, body):
    with open(path, "w") as fh:
        fh.write(header)
        fh.flush()
        fh.write(body)
        os.fsync(fh.fileno())  # DUR103

# case: flush-by-helper
import os


def _flush(fh):
    fh.flush()


def append_line(log_path, line):
    with open(log_path, "a") as fh:
        fh.write(line)
        _flush(fh)
        os.fsync(fh.fileno())

# case: ntf-fsync-without-flush
import json
import os
import tempfile


def save_state(path, state):
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path), delete=False) as fh:
        json.dump(state, fh)
        os.fsync(fh.fileno())  # DUR103
    os.replace(fh.name, path)  # DUR102

# case: path-open-fsync-without-flush
import os
from pathlib import Path


def append_line(log_path: Path, line):
    with log_path.open("a") as fh:
        fh.write(line)
        os.fsync(fh.fileno())  # DUR103

# case: io-open-fsync-without-flush
import io
import os


def append_line(log_path, line):
    with io.open(log_path, "a", encoding="utf-8") as fh:
        fh.write(line)
        os.fsync(fh.fileno())  # DUR103

# case: bare-handle-without-flush
import os


def append_line(log_path, line):
    fh = open(log_path, "a")
    fh.write(line)
    os.fsync(fh.fileno())  # DUR103
    fh.close()

# case: read-mode-handle-needs-no-flush
import os


def fsync_file_at(path):
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())

# case: print-with-flush-true
import os


def append_line(log_path, line):
    with open(log_path, "a") as fh:
        print(line, file=fh, flush=True)
        os.fsync(fh.fileno())

# case: print-without-flush
import os


def append_line(log_path, line):
    with open(log_path, "a") as fh:
        print(line, file=fh)
        os.fsync(fh.fileno())  # DUR103

# case: print-flushed-then-more-written
import os


def append_lines(log_path, first, second):
    with open(log_path, "a") as fh:
        print(first, file=fh, flush=True)
        fh.write(second)
        os.fsync(fh.fileno())  # DUR103
