"""The fixer face: apply the fixes that findings carry, and write files back safely.

    transform.py     the LibCST transformation of one module
    replacements.py  a fix as regions of the original text (reports, the language server)
    command.py       `durable-writes fix` over many files
    durable_io.py    how this tool writes files itself
"""
