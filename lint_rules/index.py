"""One pass over a module: its imports, its scopes, and which names each scope calls.

Everything else in the engine works per scope; this pass tells it which scopes can matter
(those that call a rename or an fsync, or that can be a sync helper) so that the rest of the
tree is never walked again.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class ScopeInfo:
    node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    method: bool = False  # a function defined directly in a class body
    called: set[str] = field(default_factory=set)  # last part of every callee's name
    calls: list[ast.Call] = field(default_factory=list)  # calls of fsync/flush-like names

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef))


@dataclass
class ModuleIndex:
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    scopes: list[ScopeInfo] = field(default_factory=list)  # the module first


# Callees a sync helper is made of; their calls are kept for the helper summaries.
_SYNC_NAMES = frozenset({"fsync", "fdatasync", "flush"})


def index_module(tree: ast.Module, extra_sync_names: frozenset[str] = frozenset()) -> ModuleIndex:
    index = ModuleIndex()
    module = ScopeInfo(tree)
    index.scopes.append(module)
    keep = _SYNC_NAMES | extra_sync_names
    stack: list[tuple[ast.AST, ScopeInfo]] = [(tree, module)]
    while stack:
        node, info = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _SCOPES):
                inner = ScopeInfo(child, method=isinstance(node, ast.ClassDef)
                                  and not isinstance(child, ast.ClassDef))
                index.scopes.append(inner)
                stack.append((child, inner))
                continue
            if isinstance(child, ast.Call):
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                info.called.add(name)
                if name in keep:
                    info.calls.append(child)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                index.imports.append(child)
            stack.append((child, info))
    return index
