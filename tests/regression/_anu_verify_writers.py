"""The dispatch module's two writers, callable by name in the child process of `verify_call`.

`verify_call` pickles the function it runs, so it must be importable by name in a fresh
process; the pre-fix snapshot is not in a package, so these wrappers load the module (the
snapshot or the committed one) from the file they are given, inside the child, and make
exactly the call an executor makes.
"""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any


def load(module_path: str) -> ModuleType:
    """Import the module at `module_path` under a name of its own."""
    name = "anu_owned_callback_enforcement_under_verify"
    spec = importlib.util.spec_from_file_location(name, module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look up their module while the class is built
    spec.loader.exec_module(module)
    return module


def write_result(module_path: str, task_dir: str, status: str, payload: Any) -> None:
    """Publish the task's result.json."""
    load(module_path).executor_write_result_json(task_dir, "task-2717", "executor-7", status,
                                                 payload)


def write_callback_request(module_path: str, task_dir: str) -> None:
    """Ask ANU to act on the published result: read result.json, write callback_request.json."""
    module = load(module_path)
    module.executor_write_callback_request(task_dir, module.read_result_json(task_dir))
