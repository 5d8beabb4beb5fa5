"""The dispatch module's writers under simulated power loss (issue 5, "Where it is used").

Each writer of the pre-fix snapshot (tests/fixtures/anu_owned_callback_enforcement_before.py)
and of the committed module runs in a child process under `durable-writes verify`, which
enumerates every crash state under the posix and the ext4 model.  A violation is
(path, kind, after the acknowledgement); the acknowledgement is the writer's return.

The snapshot's writers dump JSON into `<name>.tmp` and `os.replace` it, with no fsync of the
data or of the directory (DUR101 + DUR102).  Following the verify README's table:
- replacing an existing file, posix can persist the rename without the data, or the size
  without the data, at any point (empty, torn), and lose the rename after the return (old);
  ext4 replaces an existing name only with its data (auto_da_alloc) but can still lose the
  rename (old);
- writing a file that did not exist, ext4's rename no longer waits for the data (empty, never
  torn: an append persists with its size), and a lost rename leaves no file (missing).
The committed module fsyncs both, and no crash state may violate durability in either model.

They run under strace (marker `strace`): skipped where it is missing, a failure in CI
(CI=true; .ci/run installs it).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_rules.verify.pytest_helper import verify_call

import _anu_verify_writers as writers

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO / "tests" / "fixtures" / "anu_owned_callback_enforcement_before.py"
COMMITTED = REPO / "dispatch" / "anu_owned_callback_enforcement.py"

pytestmark = pytest.mark.strace

RESULT = "result.json"
REQUEST = "callback_request.json"
MODELS = ("posix", "ext4")

# The previous attempt's result, and this run's; they differ so that old and new differ in
# both files (the request carries the envelope's digest).
PREVIOUS = ("failed", {"exit_code": 1, "summary": "first attempt"})
CURRENT = ("succeeded",
           {"exit_code": 0, "artifacts": ["out/report.txt"], "summary": "d\u00e9j\u00e0 vu"})


def unsynced(name: str, existing: bool) -> dict[str, set[tuple[str, str, bool]]]:
    """The violations of a writer that syncs neither the data nor the directory."""
    torn_or_empty = {(name, kind, after) for kind in ("empty", "torn") for after in (False, True)}
    if existing:
        return {"posix": torn_or_empty | {(name, "old", True)}, "ext4": {(name, "old", True)}}
    return {"posix": torn_or_empty | {(name, "missing", True)},
            "ext4": {(name, "empty", False), (name, "empty", True), (name, "missing", True)}}


def task_dir(tmp_path: Path, writer: str, existing: bool) -> Path:
    """A task directory as the writer meets it.  The request writer reads the published
    result, so result.json is there for it either way; `existing` says whether the writer's
    own destination holds a previous attempt."""
    folder = tmp_path / "task"
    folder.mkdir()
    if existing:
        writers.write_result(str(COMMITTED), str(folder), *PREVIOUS)
        writers.write_callback_request(str(COMMITTED), str(folder))
    if writer == REQUEST:
        writers.write_result(str(COMMITTED), str(folder), *CURRENT)
    return folder


def run_writer(module: Path, writer: str, folder: Path):
    """Verify one writer of `module` in both models; return {model: violations}."""
    if writer == RESULT:
        result = verify_call(writers.write_result, str(module), str(folder), *CURRENT,
                             watch=[folder], model="both")
    else:
        result = verify_call(writers.write_callback_request, str(module), str(folder),
                             watch=[folder], model="both")
    # Only the writer's own file changed, the run wrote what the writer writes, and every
    # crash state was judged: otherwise no verdict below would mean anything.
    target = folder / writer
    assert result.watched == [str(target)]
    assert result.new[str(target)] == target.read_bytes() != result.old[str(target)]
    assert result.gaps == [] and result.warnings == []
    assert all(model.exhaustive for model in result.results.values())
    if writer == RESULT:
        assert json.loads(target.read_bytes())["status"] == CURRENT[0]
    return {model: {(Path(path).name, kind, after)
                    for path, kind, after in result.violations(model)} for model in MODELS}


@pytest.mark.parametrize("existing", [True, False], ids=["over_previous", "fresh"])
@pytest.mark.parametrize("writer", [RESULT, REQUEST])
def test_snapshot_writers_are_not_durable(tmp_path: Path, writer: str, existing: bool) -> None:
    folder = task_dir(tmp_path, writer, existing)
    assert run_writer(SNAPSHOT, writer, folder) == unsynced(writer, existing)


@pytest.mark.parametrize("existing", [True, False], ids=["over_previous", "fresh"])
@pytest.mark.parametrize("writer", [RESULT, REQUEST])
def test_committed_writers_are_durable(tmp_path: Path, writer: str, existing: bool) -> None:
    folder = task_dir(tmp_path, writer, existing)
    assert run_writer(COMMITTED, writer, folder) == {"posix": set(), "ext4": set()}
