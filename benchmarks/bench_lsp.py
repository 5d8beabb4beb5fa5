"""What the language server spends per message, on the real files that have findings.

The corpus is the installed CPython standard library, as for bench_check.py; only the files
with findings are timed, since those are the ones whose code actions cost anything.

  keystroke   analyse the buffer and build its diagnostics (didOpen / didChange / didSave)
  actions     the code actions for a cursor on the first finding, for a client that resolves
              edits later (VS Code, Neovim): titles only, asked on every cursor move
  pick        resolving the quick fix and the fix-all (what a client that cannot resolve pays
              on every request): LibCST parses and rewrites the buffer for each
  clean       a keystroke in a file without findings (most files: the pre-filter's cost)

Run: python benchmarks/bench_lsp.py [--root DIR]
"""
from __future__ import annotations

import argparse
import statistics
import sysconfig
import time
from pathlib import Path

from lsprotocol import types

from lint_rules.config import Config
from lint_rules.files import discover
from lint_rules.lsp import analysis
from lint_rules.runner import check_paths


def _ms(work) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def _summary(name: str, times: list[float]) -> str:
    return (f"{name:<10} {len(times):>5} files  median {statistics.median(times):7.2f} ms  "
            f"max {max(times):7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    args = parser.parse_args()
    config = Config()
    files = discover([args.root], ("site-packages", "dist-packages")).files
    reports = check_paths(files, config)
    flagged = [r.path for r in reports if r.findings]
    clean = [r.path for r in reports if not r.findings and not r.error][:500]
    # Importing LibCST is a one-off cost of the first code action, not of every one.
    import lint_rules.fixer.transform  # noqa: F401

    keystroke, actions, pick, idle = [], [], [], []
    for path in flagged:
        text = Path(path).read_text(encoding="utf-8", errors="replace")

        def analyse(text=text, path=path):
            made = analysis.analyse("file://" + path, 1, path, text, config, "utf-16")
            return made, analysis.diagnostics(made)

        keystroke.append(_ms(analyse))
        made, diagnostics = analyse()
        if not diagnostics:
            continue
        params = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=made.uri),
            range=diagnostics[0].range, context=types.CodeActionContext(diagnostics=[]))
        actions.append(_ms(lambda: analysis.code_actions(made, params, lazy=True)))
        pick.append(_ms(lambda: (analysis.fix_edit(made, 0),
                                 analysis.fix_edit(made, analysis.ALL))))
    for path in clean:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        idle.append(_ms(lambda: analysis.analyse("file://x", 1, path, text, config, "utf-16")))
    print(f"corpus: {args.root} ({len(files)} files, {len(flagged)} with findings)")
    print(_summary("keystroke", keystroke))
    print(_summary("actions", actions))
    print(_summary("pick", pick))
    print(_summary("clean", idle))


if __name__ == "__main__":
    main()
