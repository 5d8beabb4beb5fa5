"""Check your own writer functions for durability from a test.

    from lint_rules.verify.pytest_helper import assert_durable, verify_call

    def save(path, obj):            # module level, so a child process can import it
        ...

    def test_save_is_durable(tmp_path):
        target = tmp_path / "state.json"
        target.write_text("{}")
        assert_durable(save, target, {"a": 1}, watch=[tmp_path])

`func(*args, **kwargs)` runs in a fresh Python process under strace; its return counts as the
acknowledgement (the helper prints a line when it returns, then the process exits 0).  `func`
and its arguments are pickled, so `func` must be importable by name (a module-level function,
not a lambda or a closure); the child gets this process's `sys.path`.  The names `watch`,
`model` and `timeout` are the helper's own, not passed on to `func`.

- `verify_call(...)` returns the `Verification`: `.ok`, `.violations(model)` (a set of
  `(path, kind, after_acknowledgement)`, the path relative to the working directory when it
  is below it), `.report()` (the violating states in words);
- `assert_durable(...)` raises AssertionError with that report when any state violates
  durability or the run is unverifiable (`.unverifiable`: something changed the watched files
  that the trace does not show, such as a shared mmap), and returns the `Verification`
  otherwise.

Both raise RuntimeError if `func` raised in the child (its traceback is in the message), and
StraceError if strace is missing or not permitted.
"""
from __future__ import annotations

import os
import pickle
import sys
import tempfile
from typing import Any, Callable, Iterable

from .check import Verification, verify
from .models import MODELS

RETURNED = "durable-writes verify: returned"

# Runs in the child: load the call, make it, acknowledge.  os.write, not print: the
# acknowledgement must reach fd 1 when the function has returned, whatever stdout buffers.
_BOOTSTRAP = f"""\
import os, pickle, sys
with open(sys.argv[1], "rb") as fh:
    func, args, kwargs = pickle.load(fh)
func(*args, **kwargs)
os.write(1, {(RETURNED + chr(10)).encode()!r})
"""


def verify_call(func: Callable[..., Any], /, *args: Any,
                watch: Iterable[str | os.PathLike[str]], model: str = "both",
                timeout: float = 60.0, **kwargs: Any) -> Verification:
    """Run `func(*args, **kwargs)` in a child process under strace and verify the files
    under `watch` (files or directories) under `model`: "posix", "ext4" or "both"."""
    models = tuple(MODELS) if model == "both" else (model,)
    if any(m not in MODELS for m in models):
        raise ValueError(f"model must be one of {', '.join(MODELS)} or both, not {model!r}")
    try:
        payload = pickle.dumps((func, args, kwargs))
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise TypeError("verify_call needs a module-level function and picklable arguments "
                        f"(the call runs in a child process): {exc}") from None
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    with tempfile.TemporaryDirectory(prefix="durable-writes-call-") as scratch:
        call_file = os.path.join(scratch, "call.pickle")
        with open(call_file, "wb") as fh:
            fh.write(payload)
        verification = verify([sys.executable, "-c", _BOOTSTRAP, call_file], watch=list(watch),
                              models=models, env=env, capture_output=True, timeout=timeout)
    if verification.returncode != 0:
        raise RuntimeError(f"{_name(func)} failed in the child process "
                           f"(exit status {verification.returncode}):\n{verification.stderr}")
    return verification


def assert_durable(func: Callable[..., Any], /, *args: Any,
                   watch: Iterable[str | os.PathLike[str]], model: str = "both",
                   timeout: float = 60.0, **kwargs: Any) -> Verification:
    """Like `verify_call`, and fail with the violating states in words if there are any."""
    verification = verify_call(func, *args, watch=watch, model=model, timeout=timeout, **kwargs)
    if verification.unverifiable:
        raise AssertionError(f"{_name(func)} could not be verified:\n"
                             f"{verification.report(limit=5)}")
    if not verification.ok:
        raise AssertionError(f"{_name(func)} is not durable:\n{verification.report(limit=5)}")
    return verification


def _name(func: Callable[..., Any]) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"
