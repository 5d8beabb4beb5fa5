"""The rule catalog: codes, messages and documentation.

Codes are a public interface: never renumber.  `docs` is the single source for
`durable-writes explain` and for the README's rule table.
"""
from __future__ import annotations

from dataclasses import dataclass


# Where each rule's documentation is published: the README's rule sections, one anchor per
# code. SARIF's helpUri and the language server's diagnostic links point here.
DOCS_URL = "https://github.com/flake8-durable-writes/flake8-durable-writes/blob/main/README.md"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    message: str
    summary: str
    fix: str  # "safe", "unsafe" (applied with --unsafe-fixes only) or "none"
    docs: str

    @property
    def url(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}"


DUR101 = Rule(
    code="DUR101",
    name="rename-without-file-fsync",
    message="file is renamed over its destination without an fsync of its data first",
    summary="File written and renamed over a destination without fsync of its data first",
    fix="safe",
    docs='''\
## What it does
Finds files that are written and then renamed over a destination (`os.replace`, `os.rename`,
`shutil.move`, `Path.replace`, `Path.rename`) without `os.fsync` of the file's data between the
last write and the rename.

## Why is this bad?
Write-then-rename is atomic against a crash of the process, not against power loss or a kernel
crash. File systems may persist the new name before the data: after a reboot the destination
can be empty, hold garbage, or be the old file, although the program reported success.

## Example
```python
with open(tmp, "w") as fh:
    json.dump(state, fh)
os.replace(tmp, path)
```

Use instead:
```python
with open(tmp, "w") as fh:
    json.dump(state, fh)
    fh.flush()
    os.fsync(fh.fileno())
os.replace(tmp, path)
```

## Fix safety
Safe. The fix adds `fh.flush()` and `os.fsync(fh.fileno())` as the last statements of the
writing block (before `close()` for a bare handle; `os.fsync(fd)` before `os.close(fd)` for a
raw file descriptor; a call to a small `_fsync_file(path)` helper after
`Path.write_text`/`write_bytes`, which close the file before the caller can reach it). The data
written and the order of existing statements do not change; the write only gets slower by one
fsync.
''',
)

DUR102 = Rule(
    code="DUR102",
    name="rename-without-dir-fsync",
    message="rename is not followed by an fsync of the destination's parent directory",
    summary="Rename not followed by an fsync of the destination's parent directory",
    fix="safe",
    docs='''\
## What it does
Finds renames that publish a freshly written file but are not followed by an `os.fsync` of the
destination's parent directory.

## Why is this bad?
A rename changes the directory, not the file. Until the directory itself is flushed, a power
loss can undo the rename: after a reboot the destination is the old file (or missing) although
the program already reported the new state as saved.

## Example
```python
os.replace(tmp, path)
```

Use instead:
```python
os.replace(tmp, path)
dfd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
try:
    os.fsync(dfd)
finally:
    os.close(dfd)
```

## Fix safety
Safe. The fix adds, right after the rename, a call to a module-level helper that fsyncs the
destination's parent directory. The helper is fail-safe: where the directory cannot be opened or
fsynced (Windows, some network and FUSE file systems) it returns quietly, because the data is
already published. It is inserted once per module, above the first definition that uses it; a
helper the module already has that does the same is reused.
''',
)

DUR103 = Rule(
    code="DUR103",
    name="fsync-without-flush",
    message="fsync of a buffered file without flush() first syncs nothing still buffered",
    summary="`os.fsync`/`os.fdatasync` of a buffered file object with no `flush()` before it",
    fix="safe",
    docs='''\
## What it does
Finds `os.fsync`/`os.fdatasync` of a buffered file object (from `open`, `os.fdopen`,
`Path.open`, `NamedTemporaryFile`) with no `flush()` of that file between its last write and
the fsync.

## Why is this bad?
Python keeps written data in its own buffer until `flush()`. `os.fsync` asks the kernel to
persist what the kernel has: anything still in Python's buffer is not written at all, so the
fsync gives no guarantee for the data that matters.

## Example
```python
fh.write(data)
os.fsync(fh.fileno())
```

Use instead:
```python
fh.write(data)
fh.flush()
os.fsync(fh.fileno())
```

## Fix safety
Safe. The fix inserts `fh.flush()` right before the fsync. Flushing earlier than the close
would have does not change what ends up in the file.
''',
)

DUR105 = Rule(
    code="DUR105",
    name="temp-file-outside-destination-dir",
    message="temporary file is created outside the destination's directory (no dir=) "
    "and then renamed to it",
    summary="Temp file created outside the destination's directory (no `dir=`), then renamed to it",
    fix="unsafe",
    docs='''\
## What it does
Finds `tempfile.NamedTemporaryFile`, `tempfile.mkstemp` and `tempfile.mkdtemp` called without
`dir=` whose file is then renamed to a destination.

## Why is this bad?
Without `dir=` the temporary file lives in the system's temp directory, often another file
system than the destination. `os.replace` then fails with `EXDEV`, and `shutil.move` silently
falls back to copy-and-delete, which is not atomic: a crash can leave a half-copied
destination.

## Example
```python
fd, tmp = tempfile.mkstemp()
...
os.replace(tmp, path)
```

Use instead:
```python
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
...
os.replace(tmp, path)
```

## Fix safety
Unsafe: applied only with `--unsafe-fixes` (or `unsafe-fixes = true`). Where the destination
is known before the temporary file is created (nothing it names is assigned between the two),
the fix adds `dir=os.path.dirname(os.path.abspath(path))` to the call. That moves the
temporary file from the system's temp directory to the destination's file system, which may
be full, read-only, or a network mount with other semantics (and other programs watching the
directory now see the temporary file come and go); a relative destination is resolved when the
temporary file is created, not at the rename. The program's behaviour changes in these ways,
so the fix needs your review. Where the destination is computed after the temporary file
exists, or the call spans lines or passes `*args`/`**kwargs`, there is no fix.
''',
)

RULES: dict[str, Rule] = {rule.code: rule for rule in (DUR101, DUR102, DUR103, DUR105)}
