"""The fixer face: apply the fixes that findings carry, and write files back safely.

    transform.py   the LibCST transformation of one module
    command.py     `durable-writes fix` over many files
    durable_io.py  how this tool writes files itself
"""
