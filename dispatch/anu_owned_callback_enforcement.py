"""Executor side of ANU-owned callback enforcement.

An executor that finishes a task publishes a result envelope, ``result.json``, in the task's
directory, and next to it a callback request that ANU picks up. Only the owner, ANU, may act on
a result by callback: the executor never performs the callback itself, and a callback is
accepted only when it carries ANU's HMAC-SHA256 tag over the envelope.

Result envelope (``result.json``), schema version 1::

    {
      "version": 1,
      "task_id": "<task id>",
      "executor": "<executor name>",
      "status": "succeeded" | "failed" | "cancelled",
      "payload": <any JSON value>,
      "callback": {
        "owner": "ANU",                 # the only party that may call back
        "policy": "owner-only",         # the executor never invokes the callback
        "executor_may_invoke": false,
        "authority": "hmac-sha256"      # how a callback proves that it is ANU's
      }
    }

Callback request (``callback_request.json``)::

    {
      "version": 1,
      "task_id": "<task id>",
      "executor": "<executor name>",
      "owner": "ANU",
      "result_file": "result.json",
      "result_sha256": "<SHA-256 of the canonical envelope>"
    }

The HMAC key belongs to ANU and is read at run time only, from ``ANU_CALLBACK_KEY`` (hex) or
from the file named by ``ANU_CALLBACK_KEY_FILE``; no key is kept with the code.

The module is inert: it creates no activation flag, installs no service, wakes nothing and
opens no network connection. `activation_state()` reports exactly that.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1
RESULT_FILENAME = "result.json"
CALLBACK_REQUEST_FILENAME = "callback_request.json"
STATUSES = ("succeeded", "failed", "cancelled")

CALLBACK_OWNER = "ANU"
CALLBACK_POLICY = "owner-only"
CALLBACK_AUTHORITY = "hmac-sha256"

KEY_ENV = "ANU_CALLBACK_KEY"
KEY_FILE_ENV = "ANU_CALLBACK_KEY_FILE"
MIN_KEY_BYTES = 16

ENVELOPE_FIELDS = ("version", "task_id", "executor", "status", "payload", "callback")


class EnvelopeError(ValueError):
    """A result envelope does not follow the documented schema."""


class CallbackKeyError(RuntimeError):
    """ANU's callback key is missing or malformed (the message never contains key material)."""


@dataclass(frozen=True)
class ActivationState:
    active: bool
    installed: bool
    wired: bool


@dataclass(frozen=True)
class CallbackDecision:
    allowed: bool
    reason: str


def activation_state() -> ActivationState:
    """The module is never activated, installed or wired into a running service."""
    return ActivationState(active=False, installed=False, wired=False)


def callback_authority() -> dict[str, Any]:
    """The envelope's callback block: ANU owns the callback, the executor may not invoke it."""
    return {
        "owner": CALLBACK_OWNER,
        "policy": CALLBACK_POLICY,
        "executor_may_invoke": False,
        "authority": CALLBACK_AUTHORITY,
    }


def build_result_envelope(task_id: str, executor: str, status: str, payload: Any) -> dict[str, Any]:
    """Build a schema-version-1 result envelope; `payload` is any JSON-encodable value."""
    if not isinstance(task_id, str) or not task_id:
        raise EnvelopeError("task_id must be a non-empty string")
    if not isinstance(executor, str) or not executor:
        raise EnvelopeError("executor must be a non-empty string")
    if executor == CALLBACK_OWNER:
        # An executor named like the owner would make the owner check meaningless.
        raise EnvelopeError(f"an executor may not be named {CALLBACK_OWNER!r}")
    if status not in STATUSES:
        raise EnvelopeError(f"status must be one of {', '.join(STATUSES)}")
    return {
        "version": SCHEMA_VERSION,
        "task_id": task_id,
        "executor": executor,
        "status": status,
        "payload": payload,
        "callback": callback_authority(),
    }


def validate_envelope(envelope: Mapping[str, Any]) -> None:
    """Raise EnvelopeError unless `envelope` has exactly the documented fields and policy."""
    if not isinstance(envelope, Mapping) or set(envelope) != set(ENVELOPE_FIELDS):
        raise EnvelopeError(f"envelope fields must be exactly {', '.join(ENVELOPE_FIELDS)}")
    for name in ("task_id", "executor"):
        if not isinstance(envelope[name], str) or not envelope[name]:
            raise EnvelopeError(f"{name} must be a non-empty string")
    if envelope["version"] != SCHEMA_VERSION:
        raise EnvelopeError(f"unsupported envelope version {envelope['version']!r}")
    if envelope["status"] not in STATUSES:
        raise EnvelopeError(f"unknown status {envelope['status']!r}")
    if envelope["callback"] != callback_authority():
        raise EnvelopeError("the callback block must reserve the callback for ANU")


def canonical_envelope_bytes(envelope: Mapping[str, Any]) -> bytes:
    """The bytes that ANU's tag and the request's digest cover: key order and spacing fixed."""
    text = json.dumps(
        envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )
    return text.encode("ascii")


def envelope_sha256(envelope: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_envelope_bytes(envelope)).hexdigest()


def load_callback_key(environ: Mapping[str, str] | None = None) -> bytes:
    """Read ANU's key from the environment, or from the key file the environment names.

    The key is hex text of at least MIN_KEY_BYTES bytes. It is read on every call, never cached
    at import, so that a process that does not verify callbacks never holds it.
    """
    env = os.environ if environ is None else environ
    text = env.get(KEY_ENV)
    if not text:
        key_file = env.get(KEY_FILE_ENV)
        if not key_file:
            raise CallbackKeyError(f"no callback key: set {KEY_ENV} or {KEY_FILE_ENV}")
        with open(key_file, encoding="ascii") as fh:
            text = fh.read()
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise CallbackKeyError("the callback key is not hex text") from None
    if len(key) < MIN_KEY_BYTES:
        raise CallbackKeyError(f"the callback key must be at least {MIN_KEY_BYTES} bytes")
    return key


def anu_callback_tag(envelope: Mapping[str, Any], key: bytes) -> str:
    """The HMAC-SHA256 tag (hex) with which ANU proves that a callback on `envelope` is its own."""
    return hmac.new(key, canonical_envelope_bytes(envelope), hashlib.sha256).hexdigest()


def verify_callback_tag(envelope: Mapping[str, Any], tag: str, key: bytes | None = None) -> bool:
    """True if `tag` is ANU's tag over `envelope`; the key is loaded now unless given."""
    if not isinstance(tag, str):
        return False
    if key is None:
        key = load_callback_key()
    expected = anu_callback_tag(envelope, key)
    return hmac.compare_digest(expected.encode("ascii"), tag.encode("utf-8"))


def enforce_callback(
    envelope: Mapping[str, Any], caller: str, tag: str, key: bytes | None = None
) -> CallbackDecision:
    """Decide whether `caller` may act on `envelope` by callback: only ANU, proven by its tag."""
    callback = envelope.get("callback")
    if callback != callback_authority():
        return CallbackDecision(False, "the envelope does not reserve the callback for ANU")
    if caller == envelope.get("executor"):
        return CallbackDecision(False, "the executor never performs the callback itself")
    if caller != CALLBACK_OWNER:
        return CallbackDecision(False, f"only {CALLBACK_OWNER} may call back")
    if not verify_callback_tag(envelope, tag, key):
        return CallbackDecision(False, "the tag does not prove that the callback is ANU's")
    return CallbackDecision(True, "ANU-owned callback")


def read_result_json(task_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Load and validate the task's published result envelope."""
    with open(os.path.join(task_dir, RESULT_FILENAME), encoding="utf-8") as fh:
        envelope = json.load(fh)
    validate_envelope(envelope)
    return envelope


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


def executor_write_result_json(
    task_dir: str | os.PathLike[str], task_id: str, executor: str, status: str, payload: Any
) -> str:
    """Publish the task's result envelope as `result.json` in `task_dir`; return its path.

    Readers see the previous result or the new one, never a mix: the envelope is written to a
    temporary file in the same directory and renamed over `result.json`. One executor owns a
    task directory, so the fixed temporary name cannot race, and whatever a crash leaves
    behind is overwritten by the next attempt.
    """
    envelope = build_result_envelope(task_id, executor, status, payload)
    path = os.path.join(task_dir, RESULT_FILENAME)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(envelope, fh, indent=2, allow_nan=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_parent_dir(path)
    return path


def executor_write_callback_request(
    task_dir: str | os.PathLike[str], envelope: Mapping[str, Any]
) -> str:
    """Ask ANU to act on a published result: write `callback_request.json`; return its path.

    The request names the owner and the digest of the envelope it is about, so ANU can tell
    that the result it reads is the one the request was made for.
    """
    validate_envelope(envelope)
    request = {
        "version": SCHEMA_VERSION,
        "task_id": envelope["task_id"],
        "executor": envelope["executor"],
        "owner": CALLBACK_OWNER,
        "result_file": RESULT_FILENAME,
        "result_sha256": envelope_sha256(envelope),
    }
    path = os.path.join(task_dir, CALLBACK_REQUEST_FILENAME)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(request, fh, indent=2, allow_nan=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_parent_dir(path)
    return path
