"""The fixer, proven under simulated power loss (issue 5, "Where it is used").

Each writer variant below is a small script that writes `data/state.txt` and prints "saved".
It runs under `durable-writes verify` (strace, then every crash state under the posix and the
ext4 model) before the fix, where the violations its findings predict must show, and again
after `fix_source`, where no crash state may violate durability under either model.

A violation is (path, kind, after the acknowledgement); the acknowledgements are the printed
"saved" and the exit.  What each model must show follows the table in the verify README:
- a writer that syncs neither the data nor the directory (DUR101 + DUR102), replacing an
  existing file: posix can persist the rename without the data, or the size without the data,
  at any point (empty, torn), and lose the rename after "saved" (old); ext4 replaces an
  existing name only with its data (auto_da_alloc), but can still lose the rename (old).
- a writer whose only bug is an fsync before the flush (DUR103), to a new file: posix as
  above without the lost rename (the directory is fsynced); ext4 journals the rename ahead of
  the delayed data (empty, never torn).  With an existing destination ext4 would hide it.

They run under strace (marker `strace`): skipped where it is missing, a failure in CI
(CI=true; .ci/run installs it).
"""
from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from lint_rules.fixer.transform import fix_source
from lint_rules.verify.check import Verification, verify

TARGET = "data/state.txt"
OLD = "previous state\n"
NEW = "state after the run, long enough to span a few words\n"
MODELS = ("posix", "ext4")

# Each script's entry point; the writers take (path: str, text: str).
MAIN = """

if __name__ == "__main__":
    save(sys.argv[1], sys.argv[2])
    print("saved")
"""

UNSYNCED_OVER_EXISTING = {
    "posix": {(TARGET, "empty", False), (TARGET, "torn", False),
              (TARGET, "empty", True), (TARGET, "torn", True), (TARGET, "old", True)},
    "ext4": {(TARGET, "old", True)},
}
FSYNC_BEFORE_FLUSH_TO_NEW = {
    "posix": {(TARGET, "empty", False), (TARGET, "torn", False),
              (TARGET, "empty", True), (TARGET, "torn", True)},
    "ext4": {(TARGET, "empty", False), (TARGET, "empty", True)},
}


@dataclass(frozen=True)
class Variant:
    name: str
    source: str
    expected: dict[str, set[tuple[str, str, bool]]]  # model -> violations before the fix
    existing: bool = True  # whether the destination exists before the run

    def __str__(self) -> str:
        return self.name

    def script(self) -> bytes:
        return (textwrap.dedent(self.source).lstrip() + MAIN).encode()


VARIANTS = [
    Variant("with_open_json_dump_replace", """
        import json
        import os
        import sys


        def save(path, text):
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump({"text": text}, fh)
            os.replace(tmp, path)
        """, UNSYNCED_OVER_EXISTING),
    Variant("bare_handle_closed_later", """
        import os
        import sys


        def save(path, text):
            tmp = path + ".tmp"
            fh = open(tmp, "w", encoding="utf-8")
            fh.write(text)
            fh.close()
            os.rename(tmp, path)
        """, UNSYNCED_OVER_EXISTING),
    Variant("mkstemp_fdopen", """
        import os
        import sys
        import tempfile


        def save(path, text):
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode())
            os.replace(tmp, path)
        """, UNSYNCED_OVER_EXISTING),
    Variant("named_temporary_file_delete_false", """
        import os
        import sys
        from tempfile import NamedTemporaryFile


        def save(path, text):
            fh = NamedTemporaryFile(mode="w", dir=os.path.dirname(path), delete=False)
            tmp = fh.name
            fh.write(text)
            fh.close()
            os.replace(tmp, path)
        """, UNSYNCED_OVER_EXISTING),
    Variant("raw_os_open_write_close", """
        import os
        import sys


        def save(path, text):
            tmp = path + ".tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, text.encode())
            os.close(fd)
            os.replace(tmp, path)
        """, UNSYNCED_OVER_EXISTING),
    Variant("path_write_text_replace", """
        import sys
        from pathlib import Path


        def save(path, text):
            target = Path(path)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        """, UNSYNCED_OVER_EXISTING),
    Variant("path_open_pickle_rename", """
        import os
        import pickle
        import sys
        from pathlib import Path


        def save(path, text):
            tmp = Path(path + ".part")
            with tmp.open("wb") as fh:
                pickle.dump(text, fh)
            os.rename(tmp, path)
        """, UNSYNCED_OVER_EXISTING),
    Variant("fsync_before_flush_only", """
        import os
        import sys


        def save(path, text):
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text)
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            dfd = os.open(os.path.dirname(path), os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        """, FSYNC_BEFORE_FLUSH_TO_NEW, existing=False),
]


def run_under_verify(tmp_path: Path, variant: Variant, source: bytes, run: str) -> Verification:
    """Write `source` as a script outside the watched directory and verify one run of it
    against a fresh data directory (holding the old state unless the variant writes anew)."""
    root = tmp_path / run
    (root / "src").mkdir(parents=True)
    (root / "data").mkdir()
    script = root / "src" / "writer.py"
    script.write_bytes(source)
    if variant.existing:
        (root / TARGET).write_text(OLD)
    result = verify([sys.executable, str(script), TARGET, NEW], watch=["data"],
                    models=MODELS, cwd=str(root), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "saved\n"
    # The run did write the state, and nothing under data/ escaped the trace: a verdict on
    # a run that wrote something else, or nothing, would prove nothing.
    assert result.watched == [str(root / TARGET)]
    assert result.gaps == [] and result.warnings == []
    assert all(model.exhaustive for model in result.results.values())
    return result


def violations(result: Verification) -> dict[str, set[tuple[str, str, bool]]]:
    return {model: result.violations(model) for model in MODELS}


@pytest.mark.strace
@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_verify_shows_the_bug_before_the_fix_and_none_after(tmp_path: Path,
                                                            variant: Variant) -> None:
    before = variant.script()
    result = run_under_verify(tmp_path, variant, before, "before")
    assert violations(result) == variant.expected, result.report(limit=3)

    after = fix_source(before, f"{variant.name}.py")
    assert after != before
    result = run_under_verify(tmp_path, variant, after, "after")
    assert violations(result) == {"posix": set(), "ext4": set()}, result.report(limit=3)
    assert result.ok
