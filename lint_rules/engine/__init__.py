"""The analysis engine: source in, findings (each carrying its fix) out.

    index.py      a cheap statement-level look at a module: imports, scopes, call lines
    names.py      who is called (imports resolved) and which expressions name the same file
    scope.py      what one function body does with files, in source order
    summaries.py  what a function does to its parameters, solved to a fixpoint
    reads.py      which calls of `open` and the like surely only read, from a line's text
    rules.py      where every rule is decided: questions asked of scopes
    catalog.py    the rule catalog: codes, messages, documentation
    findings.py   findings and the edits that fix them
    support.py    what a module offers the fixer (its `os`, helpers it has)
    classes.py    what the source says an object's class is (for its methods' summaries)
    project.py    where a module lives, its summaries solved across modules and cached
    cache.py      the on-disk summary cache (.durable_writes_cache/)
    prefilter.py  whether a file may hold a finding, from its bytes alone
    checker.py    one file in, one report out: decode, pre-filter, parse, analyse, noqa

Every face (flake8, the command, the fixer, the language server) goes through this package.
"""
