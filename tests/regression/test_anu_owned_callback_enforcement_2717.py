"""Regression tests for dispatch/anu_owned_callback_enforcement.py (issue 4, task 2717).

The module is what `durable-writes fix` makes of the snapshot in
tests/fixtures/anu_owned_callback_enforcement_before.py: its two writers now fsync the file
before the rename and the parent directory after it. These tests prove the durability, that
the writes stay atomic under crashes, and that the fix changed nothing else (schema,
signatures, callback policy), by comparing the module with the snapshot itself.
"""
from __future__ import annotations

import ast
import dataclasses
import difflib
import errno
import hashlib
import importlib.util
import inspect
import json
import os
import re
import secrets
import select
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dispatch import anu_owned_callback_enforcement as fixed

REPO = Path(__file__).resolve().parents[2]
MODULE_PATH = REPO / "dispatch" / "anu_owned_callback_enforcement.py"
SNAPSHOT_PATH = REPO / "tests" / "fixtures" / "anu_owned_callback_enforcement_before.py"
KILL_CHILD = Path(__file__).with_name("_anu_kill_child.py")

WRITERS = ("executor_write_result_json", "executor_write_callback_request")
HELPER = "_fsync_parent_dir"
# The helper exactly as the fixer inserts it (DUR102's fix).
HELPER_SOURCE = '''
def _fsync_parent_dir(path):
    """Make a rename of `path` durable: fsync its parent directory, where that is possible."""
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:
        return  # Windows and some file systems cannot open a directory; the data is published.
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some network and FUSE file systems refuse a directory fsync (EINVAL, ENOTSUP).
    finally:
        os.close(fd)
'''

# SHA-256 of the sealed ANU key's 16-character prefix (from the issue). The key itself is
# never written anywhere; the tests make their own keys with `secrets`.
SEALED_KEY_PREFIX_SHA256 = "f95febd83125a873409a3687e760a32869f68dbb72a7d631d6c435b7cc947294"

PAYLOAD = {"exit_code": 0, "artifacts": ["out/report.txt"], "summary": "d\u00e9j\u00e0 vu"}
GOLDEN_ENVELOPE = {
    "version": 1,
    "task_id": "task-2717",
    "executor": "executor-7",
    "status": "succeeded",
    "payload": {"exit_code": 0, "artifacts": ["out/report.txt"], "summary": "d\u00e9j\u00e0 vu"},
    "callback": {
        "owner": "ANU",
        "policy": "owner-only",
        "executor_may_invoke": False,
        "authority": "hmac-sha256",
    },
}


# ---------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def snapshot() -> Iterator[ModuleType]:
    """The module before the fix, imported from its file."""
    name = "anu_owned_callback_enforcement_before"
    spec = importlib.util.spec_from_file_location(name, SNAPSHOT_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look up their module while the class is built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(name, None)


def run_writer(module: ModuleType, writer: str, task_dir: Path, payload: Any = PAYLOAD) -> Path:
    """Call one of the two writers with the golden task's data; return the published path."""
    if writer == "executor_write_result_json":
        path = module.executor_write_result_json(
            task_dir, "task-2717", "executor-7", "succeeded", payload
        )
    else:
        envelope = module.build_result_envelope("task-2717", "executor-7", "succeeded", payload)
        path = module.executor_write_callback_request(task_dir, envelope)
    return Path(path)


def json_files(folder: Path) -> dict[str, bytes]:
    """What a reader of the task directory can pick up: its *.json files and their bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


def file_kind(fd: int) -> str:
    mode = os.fstat(fd).st_mode
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


@dataclasses.dataclass(frozen=True)
class DiskEvent:
    op: str  # "fsync" or "replace"
    kind: str = ""  # for fsync: what the fd really is, "file" or "dir"
    identity: tuple[int, int] = (0, 0)  # for fsync: (st_dev, st_ino) of the fd
    size: int = 0  # for fsync: bytes in the file at the moment of the fsync
    dst: str = ""  # for replace


class DiskSpy:
    """Records os.fsync and os.replace calls in order, with what each fsync'd fd really is."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[DiskEvent] = []
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(fd: Any) -> None:
            fd = fd if isinstance(fd, int) else fd.fileno()
            st = os.fstat(fd)
            self.events.append(
                DiskEvent("fsync", file_kind(fd), (st.st_dev, st.st_ino), st.st_size)
            )
            real_fsync(fd)

        def replace(src: Any, dst: Any, **kwargs: Any) -> None:
            self.events.append(DiskEvent("replace", dst=os.fspath(dst)))
            real_replace(src, dst, **kwargs)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)

    def replace_index(self, dst: Path) -> int:
        indexes = [i for i, e in enumerate(self.events) if e.op == "replace" and e.dst == str(dst)]
        assert len(indexes) == 1, f"expected one os.replace onto {dst}, saw {self.events}"
        return indexes[0]

    def fsync_indexes(self, kind: str, identity: tuple[int, int]) -> list[int]:
        return [
            i
            for i, e in enumerate(self.events)
            if e.op == "fsync" and e.kind == kind and e.identity == identity
        ]


def identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


# ------------------------------------------------------------- 2, 3: the two fsyncs


@pytest.mark.parametrize("writer", WRITERS)
def test_temp_file_is_fsynced_with_all_its_data_before_the_rename(
    writer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = DiskSpy(monkeypatch)
    path = run_writer(fixed, writer, tmp_path)
    renamed_at = spy.replace_index(path)
    # A rename keeps the inode: the published file is the temporary file the writer fsync'd.
    syncs = spy.fsync_indexes("file", identity(path))
    assert syncs, "os.fsync never reached the temporary file's fd"
    final_size = path.stat().st_size
    assert final_size > 0
    # Before the rename, and after the flush: the kernel already held every byte.
    assert any(i < renamed_at and spy.events[i].size == final_size for i in syncs)


@pytest.mark.parametrize("writer", WRITERS)
def test_parent_directory_is_fsynced_after_the_rename(
    writer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = DiskSpy(monkeypatch)
    path = run_writer(fixed, writer, tmp_path)
    renamed_at = spy.replace_index(path)
    syncs = spy.fsync_indexes("dir", identity(path.parent))
    assert syncs, "os.fsync never reached the parent directory's fd"
    assert max(syncs) > renamed_at, "the directory fsync must come after the rename"


# --------------------------------------------------------------- 4: crash atomicity


def test_exception_half_way_through_the_dump_keeps_the_previous_result(tmp_path: Path) -> None:
    fixed.executor_write_result_json(tmp_path, "task-2717", "executor-7", "failed", {"try": 1})
    published = json_files(tmp_path)
    previous = fixed.read_result_json(tmp_path)

    # 64 KiB of payload encodes fine, then an object JSON cannot encode stops the dump.
    payload = ["x" * 1024] * 64 + [object()]
    with pytest.raises(TypeError):
        fixed.executor_write_result_json(tmp_path, "task-2717", "executor-7", "succeeded", payload)

    # The dump really was half-way: part of the new envelope reached a temporary file...
    leftovers = [p for p in tmp_path.iterdir() if p.name not in published]
    assert leftovers and all(p.stat().st_size > 64 * 1024 for p in leftovers)
    # ...which readers do not pick up: result.json is byte-for-byte the previous one.
    assert json_files(tmp_path) == published
    assert fixed.read_result_json(tmp_path) == previous

    # And the leftover does not stand in the way of the next attempt.
    fixed.executor_write_result_json(tmp_path, "task-2717", "executor-7", "succeeded", PAYLOAD)
    assert fixed.read_result_json(tmp_path) == GOLDEN_ENVELOPE


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX-only")
def test_sigkill_in_the_middle_of_writing_keeps_the_previous_result(tmp_path: Path) -> None:
    fixed.executor_write_result_json(tmp_path, "task-2717", "executor-7", "failed", {"try": 1})
    published = json_files(tmp_path)

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    child = subprocess.Popen(
        [sys.executable, str(KILL_CHILD), str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], 60)
        assert ready and child.stdout.readline() == b"stalled\n", "child never reached mid-write"
        leftovers = [p for p in tmp_path.iterdir() if p.name not in published]
        assert leftovers and all(p.stat().st_size > 0 for p in leftovers), "nothing written yet"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                pipe.close()

    assert json_files(tmp_path) == published
    assert fixed.read_result_json(tmp_path)["payload"] == {"try": 1}


# ------------------------------------------------------------ 5: the rename is kept


@pytest.mark.parametrize("writer", WRITERS)
def test_publishes_by_atomic_rename_within_the_destination_directory(
    writer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run_writer(fixed, writer, tmp_path, payload={"try": 1})
    old_bytes = first.read_bytes()
    with open(first, "rb") as reader:  # someone reading the previous version right now
        spy = DiskSpy(monkeypatch)
        path = run_writer(fixed, writer, tmp_path)
        # A rename swapped in a new inode; copying or rewriting in place would change these bytes.
        assert reader.read() == old_bytes
    spy.replace_index(path)
    assert path.read_bytes() != old_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # the temp file was renamed

    # Statically too: each writer still ends its write with os.replace(tmp, <destination>).
    tree = ast.parse(MODULE_PATH.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in WRITERS:
            calls = [ast.unparse(c.func) for c in ast.walk(node) if isinstance(c, ast.Call)]
            assert "os.replace" in calls, f"{node.name} no longer renames"


# ----------------------------------------------------------------- 6: golden schema


def test_result_envelope_equals_the_golden_envelope(tmp_path: Path, snapshot: ModuleType) -> None:
    path = run_writer(fixed, "executor_write_result_json", tmp_path)
    written = json.loads(path.read_text("utf-8"))
    assert written == GOLDEN_ENVELOPE
    assert list(written) == list(GOLDEN_ENVELOPE)
    assert list(written["callback"]) == list(GOLDEN_ENVELOPE["callback"])
    # Byte for byte what the module wrote before the fix.
    before = tmp_path / "before"
    before.mkdir()
    assert run_writer(snapshot, "executor_write_result_json", before).read_bytes() == (
        path.read_bytes()
    )


def test_callback_request_names_the_owner_and_the_envelope_digest(
    tmp_path: Path, snapshot: ModuleType
) -> None:
    path = run_writer(fixed, "executor_write_callback_request", tmp_path)
    canonical = json.dumps(GOLDEN_ENVELOPE, sort_keys=True, separators=(",", ":"))
    assert json.loads(path.read_text("utf-8")) == {
        "version": 1,
        "task_id": "task-2717",
        "executor": "executor-7",
        "owner": "ANU",
        "result_file": "result.json",
        "result_sha256": hashlib.sha256(canonical.encode("ascii")).hexdigest(),
    }
    before = tmp_path / "before"
    before.mkdir()
    assert run_writer(snapshot, "executor_write_callback_request", before).read_bytes() == (
        path.read_bytes()
    )


# -------------------------------------------------------------- 7: signatures


def public_signatures(module: ModuleType) -> dict[str, inspect.Signature]:
    """Signatures of the module's public functions and of its classes' own methods
    (constructors included)."""
    found: dict[str, inspect.Signature] = {}
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            found[name] = inspect.signature(obj)
        elif inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if inspect.isfunction(member) and (attr == "__init__" or not attr.startswith("_")):
                    found[f"{name}.{attr}"] = inspect.signature(member)
    return found


def test_public_signatures_equal_the_snapshots(snapshot: ModuleType) -> None:
    before, after = public_signatures(snapshot), public_signatures(fixed)
    assert set(WRITERS) <= set(before)
    assert after == before


# -------------------------------------------------------- 8: the key is not in the tree


HEX_RUN = re.compile(rb"[0-9A-Fa-f]{16,}")


def key_prefix_offsets(data: bytes, digest: str) -> list[int]:
    """Offsets of 16-character hex windows whose SHA-256 (in any letter case) is `digest`.

    Only offsets are returned, so that a failure never prints key material.
    """
    hits = []
    for run in HEX_RUN.finditer(data):
        text = run.group()
        for start in range(len(text) - 15):
            window = text[start : start + 16]
            variants = {window, window.lower(), window.upper()}
            if any(hashlib.sha256(v).hexdigest() == digest for v in variants):
                hits.append(run.start() + start)
    return hits


def test_key_scan_finds_a_planted_key_in_any_case() -> None:
    key = secrets.token_hex(32)
    digest = hashlib.sha256(key[:16].encode("ascii")).hexdigest()
    assert key_prefix_offsets(b"key = " + key.upper().encode("ascii") + b"\n", digest) == [6]
    assert key_prefix_offsets(b"key = " + key[1:].encode("ascii"), digest) == []


def test_sealed_key_prefix_appears_in_no_tracked_file() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: no tracked files to scan")
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    names = sorted({name for name in listing.decode("utf-8").split("\0") if name})
    assert "dispatch/anu_owned_callback_enforcement.py" in names
    leaks = {}
    for name in names:
        path = REPO / name
        if path.is_file():
            offsets = key_prefix_offsets(path.read_bytes(), SEALED_KEY_PREFIX_SHA256)
            if offsets:
                leaks[name] = offsets
    assert leaks == {}, "the sealed ANU key's prefix is in the tree at these byte offsets"


# ----------------------------------------------------------------- 9: inert module

FORBIDDEN_IMPORTS = {"socket", "ssl", "http", "urllib", "subprocess", "asyncio", "signal"}


def test_module_stays_inactive_uninstalled_and_unwired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the module must open no connection and start no process")

    monkeypatch.setattr(socket, "socket", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    workdir, task_dir = tmp_path / "cwd", tmp_path / "task"
    workdir.mkdir()
    task_dir.mkdir()
    monkeypatch.chdir(workdir)  # a flag file written relative to the cwd would show up here
    key = secrets.token_bytes(32)
    monkeypatch.setenv(fixed.KEY_ENV, key.hex())

    assert fixed.activation_state() == fixed.ActivationState(False, False, False)
    run_writer(fixed, "executor_write_result_json", task_dir)
    envelope = fixed.read_result_json(task_dir)
    fixed.executor_write_callback_request(task_dir, envelope)
    assert fixed.enforce_callback(envelope, "ANU", fixed.anu_callback_tag(envelope, key)).allowed

    state = fixed.activation_state()
    assert (state.active, state.installed, state.wired) == (False, False, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.active = True  # type: ignore[misc]
    assert sorted(os.listdir(task_dir)) == ["callback_request.json", "result.json"]
    assert os.listdir(workdir) == []

    imported = set()
    for node in ast.walk(ast.parse(MODULE_PATH.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported and not imported & FORBIDDEN_IMPORTS


# ------------------------------------------------ 10: the fix touched only the writers


def strip_fix(writer: ast.FunctionDef) -> ast.FunctionDef:
    """Remove exactly the fixer's statements from a fixed writer; fail if any is missing."""
    added = {"flush+fsync": 0, "dir sync": 0}

    class Stripper(ast.NodeTransformer):
        def visit_With(self, node: ast.With) -> ast.With:
            self.generic_visit(node)
            item = node.items[0]
            opens = ast.unparse(item.context_expr).startswith("open(")
            if opens and isinstance(item.optional_vars, ast.Name):
                handle = item.optional_vars.id
                tail = node.body[-2:]
                assert [ast.unparse(s) for s in tail] == [
                    f"{handle}.flush()",
                    f"os.fsync({handle}.fileno())",
                ], f"{writer.name}: the writing block does not end with flush + fsync"
                node.body = node.body[:-2]
                added["flush+fsync"] += 1
            return node

    stripped = Stripper().visit(ast.parse(ast.unparse(writer)).body[0])
    body = []
    for stmt in stripped.body:
        if body and ast.unparse(body[-1]).startswith("os.replace("):
            destination = ast.unparse(body[-1].value.args[1])  # type: ignore[attr-defined]
            if ast.unparse(stmt) == f"{HELPER}({destination})":
                added["dir sync"] += 1
                continue
        body.append(stmt)
    stripped.body = body
    assert added == {"flush+fsync": 1, "dir sync": 1}, f"{writer.name}: {added}"
    return stripped


def definitions(source: str) -> list[tuple[str, ast.stmt]]:
    """Top-level statements, each named by what it defines (or by its source for others)."""
    named = []
    for stmt in ast.parse(source).body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            named.append((stmt.name, stmt))
        else:
            named.append((ast.unparse(stmt), stmt))
    return named


def test_fix_changed_only_the_two_writers_and_added_one_helper() -> None:
    before_text = SNAPSHOT_PATH.read_text("utf-8")
    after_text = MODULE_PATH.read_text("utf-8")
    before, after = definitions(before_text), definitions(after_text)

    after_names = [name for name, _ in after]
    assert after_names.count(HELPER) == 1 and HELPER not in dict(before)
    helper_at = after_names.index(HELPER)
    first_writer = min(after_names.index(w) for w in WRITERS)
    assert helper_at == first_writer - 1, "the helper must sit right above the first writer"
    assert ast.dump(after[helper_at][1]) == ast.dump(ast.parse(HELPER_SOURCE).body[0])
    del after[helper_at]

    assert [name for name, _ in after] == [name for name, _ in before]
    for (name, old), (_, new) in zip(before, after):
        if name in WRITERS:
            assert ast.dump(strip_fix(new)) == ast.dump(ast.parse(ast.unparse(old)).body[0])
        else:
            assert ast.dump(new) == ast.dump(old), f"{name} changed"

    # Textually, the fix only inserted lines: nothing of the snapshot was edited or removed.
    opcodes = difflib.SequenceMatcher(
        None, before_text.splitlines(), after_text.splitlines(), autojunk=False
    ).get_opcodes()
    assert {op for op, *_ in opcodes} == {"equal", "insert"}


# ------------------------------------- the directory fsync may fail; the write may not


def expect_golden(writer: str, path: Path) -> None:
    if writer == "executor_write_result_json":
        assert json.loads(path.read_text("utf-8")) == GOLDEN_ENVELOPE
    else:
        assert json.loads(path.read_text("utf-8"))["task_id"] == GOLDEN_ENVELOPE["task_id"]


@pytest.mark.parametrize("writer", WRITERS)
def test_write_succeeds_when_the_directory_cannot_be_opened(
    writer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open
    refused: list[str] = []

    def open_no_directories(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.isdir(path):
            refused.append(os.fspath(path))
            raise PermissionError(errno.EACCES, "cannot open a directory here", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_no_directories)
    path = run_writer(fixed, writer, tmp_path)
    assert refused == [str(tmp_path)]
    expect_golden(writer, path)


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOTSUP])
@pytest.mark.parametrize("writer", WRITERS)
def test_write_succeeds_when_the_directory_refuses_fsync(
    writer: str, code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync, real_close = os.fsync, os.close
    refused: list[int] = []
    closed: list[int] = []

    def fsync_files_only(fd: int) -> None:
        if file_kind(fd) == "dir":
            refused.append(fd)
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    def close(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(os, "fsync", fsync_files_only)
    monkeypatch.setattr(os, "close", close)
    path = run_writer(fixed, writer, tmp_path)
    assert len(refused) == 1
    assert refused[0] in closed, "the directory's fd leaked"
    expect_golden(writer, path)


# ------------------------------------------ callback authority (unchanged by the fix)


@pytest.mark.parametrize("which", ["snapshot", "fixed"])
def test_only_a_tagged_anu_callback_is_allowed(
    which: str, snapshot: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = snapshot if which == "snapshot" else fixed
    key = secrets.token_bytes(32)
    key_file = tmp_path / "anu.key"
    key_file.write_text(key.hex() + "\n", encoding="ascii")
    monkeypatch.delenv(module.KEY_ENV, raising=False)
    monkeypatch.setenv(module.KEY_FILE_ENV, str(key_file))

    envelope = module.build_result_envelope("task-2717", "executor-7", "succeeded", PAYLOAD)
    tag = module.anu_callback_tag(envelope, key)
    assert module.enforce_callback(envelope, "ANU", tag).allowed  # key loaded from the file
    assert not module.enforce_callback(envelope, "executor-7", tag).allowed
    assert not module.enforce_callback(envelope, "someone-else", tag).allowed
    tampered = dict(envelope, status="failed")
    assert not module.enforce_callback(tampered, "ANU", tag).allowed
    other_key = secrets.token_bytes(32)
    assert not module.enforce_callback(envelope, "ANU", tag, other_key).allowed
    no_authority = dict(envelope, callback=dict(envelope["callback"], policy="anyone"))
    assert not module.enforce_callback(
        no_authority, "ANU", module.anu_callback_tag(no_authority, key), key
    ).allowed


@pytest.mark.parametrize("which", ["snapshot", "fixed"])
def test_callback_key_comes_only_from_the_environment_at_run_time(
    which: str, snapshot: ModuleType
) -> None:
    module = snapshot if which == "snapshot" else fixed
    key = secrets.token_bytes(32)
    assert module.load_callback_key({module.KEY_ENV: key.hex()}) == key
    with pytest.raises(module.CallbackKeyError):
        module.load_callback_key({})
    short = secrets.token_hex(module.MIN_KEY_BYTES - 1)
    with pytest.raises(module.CallbackKeyError) as error:
        module.load_callback_key({module.KEY_ENV: short})
    assert short not in str(error.value)
    not_hex = "zz" + secrets.token_hex(32)
    with pytest.raises(module.CallbackKeyError) as error:
        module.load_callback_key({module.KEY_ENV: not_hex})
    assert not_hex not in str(error.value)


# ------------------------------------------------------------ the module and its tools


def test_the_module_under_test_is_this_checkouts() -> None:
    assert Path(fixed.__file__).resolve() == MODULE_PATH


def test_module_compiles(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "py_compile", str(MODULE_PATH)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr


def test_fixer_turns_the_snapshot_into_the_module_byte_for_byte() -> None:
    from lint_rules.fixer.transform import fix_source

    assert fix_source(SNAPSHOT_PATH.read_bytes(), str(SNAPSHOT_PATH)) == MODULE_PATH.read_bytes()


def test_fixer_leaves_the_fixed_module_alone() -> None:
    from lint_rules.fixer.transform import fix_source

    assert fix_source(MODULE_PATH.read_bytes(), str(MODULE_PATH)) == MODULE_PATH.read_bytes()


def flake8_dur(target: str) -> set[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DUR", target],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    found = {(int(line), code) for line, code in re.findall(r":(\d+):\d+: (DUR\d+)", result.stdout)}
    assert (result.returncode == 1) == bool(result.stdout.strip()), result.stdout
    return found


def snapshot_writer_sites() -> set[tuple[int, str]]:
    """Where the snapshot should be flagged: each writer's open() (DUR101) and rename (DUR102)."""
    expected = set()
    for node in ast.parse(SNAPSHOT_PATH.read_text("utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name in WRITERS:
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    callee = ast.unparse(call.func)
                    if callee == "open" and len(call.args) > 1:
                        expected.add((call.lineno, "DUR101"))
                    elif callee == "os.replace":
                        expected.add((call.lineno, "DUR102"))
    assert len(expected) == 4
    return expected


def test_flake8_flags_the_snapshot_at_both_writers_and_is_clean_on_dispatch() -> None:
    snapshot_rel = str(SNAPSHOT_PATH.relative_to(REPO))
    assert flake8_dur(snapshot_rel) == snapshot_writer_sites()
    assert flake8_dur("dispatch/") == set()
