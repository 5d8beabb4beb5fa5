"""`durable-writes verify`: run a program under strace and enumerate what a power loss could
leave on disk.

The pipeline, one module per step:

- trace.py    strace's text output → `Syscall` records (pids, unfinished/resumed lines, strings)
- ops.py      syscalls → file-system operations on inodes (`Create`, `Write`, `Rename`, ...)
              plus the program's acknowledgements
- models.py   operations → persistable effects with ordering constraints (posix, ext4), and
              the enumeration of dependency-closed crash states
- replay.py   a crash state → the bytes each watched file then holds, and its class
- check.py    the whole run: snapshot, trace, lower, enumerate, classify → `Verification`
- report.py   a `Verification` in words
- command.py  the CLI face; pytest_helper.py the test face
"""
