"""The classes of one module: which methods each defines, and what class a method returns.

A method called on an object that is not `self` (`sib.open("w")`, `store.save(tmp)`) is
judged by its class's summary when the object's class is known for sure from the source:
a parameter's annotation, a constructor call, or a method whose return annotation (or
every `return`) names one class.  Anything less certain leaves the class unknown, and the
call unknown with it: a guess would turn a read into a write.
"""
from __future__ import annotations

import ast
from collections.abc import Callable

from lint_rules.engine.index import ModuleIndex

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_MAX_DEPTH = 4  # a method returning what another returns...; deeper chains are rare
# `Optional[X]`, `X | None`, `Final[X]`: the class they wrap.
_WRAPPERS = frozenset({"Optional", "Final", "ClassVar", "Annotated"})


class ModuleClasses:
    """Top-level classes of a module, read once on first use."""

    def __init__(self, index: ModuleIndex, qualname: Callable[[ast.expr], str | None]) -> None:
        """`qualname`: the module's `Imports.qualname` (an imported class is named by its
        qualified name, a class of this module by its own name)."""
        self._qualname = qualname
        self.methods: dict[str, dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]] = {}
        self.bases: dict[str, list[str]] = {}
        self.owner: dict[int, str] = {}  # id(method) -> its class
        self._returned: dict[tuple[str, str], str | None] = {}
        for info in index.scopes:
            node = info.node
            if not isinstance(node, ast.ClassDef) or node.name in self.methods:
                continue  # a class defined twice (platform branches): the first one
            defs: dict[str, list] = {}
            for stmt in _class_body(node.body):
                defs.setdefault(stmt.name, []).append(stmt)
                self.owner[id(stmt)] = node.name
            self.methods[node.name] = defs
            bases = [b.value if isinstance(b, ast.Subscript) else b for b in node.bases]
            self.bases[node.name] = [b.id for b in bases if isinstance(b, ast.Name)]

    def defines(self, cls: str, method: str, real: bool = False) -> str | None:
        """The class of this module (`cls` or one of its bases here) that defines `method`
        (with `real`, by more than stubs: `if TYPE_CHECKING: def m(self) -> X: ...`)."""
        seen: set[str] = set()
        todo = [cls]
        while todo:
            name = todo.pop(0)
            if name in seen or name not in self.methods:
                continue
            seen.add(name)
            defs = self.methods[name].get(method, ())
            if defs and not (real and all(_is_stub(func) for func in defs)):
                return name
            todo.extend(self.bases[name])
        return None

    def annotated(self, annotation: ast.expr | None) -> str | None:
        """The class an annotation names: `FilePath`, `FilePath[str]`, `"FilePath"`,
        `Optional[FilePath]`, `FilePath | None`; None for anything else."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [s for s in (annotation.left, annotation.right)
                     if not (isinstance(s, ast.Constant) and s.value is None)]
            return self.annotated(sides[0]) if len(sides) == 1 else None
        if isinstance(annotation, ast.Subscript):
            outer = annotation.value
            if getattr(outer, "id", getattr(outer, "attr", None)) in _WRAPPERS:
                inner = annotation.slice
                return self.annotated(inner.elts[0] if isinstance(inner, ast.Tuple) else inner)
            annotation = outer  # a generic class: `FilePath[AnyStr]`
        return self.named(annotation)

    def named(self, expr: ast.expr) -> str | None:
        """A class of this module by its name, or an imported name (which may be a class:
        only its module can tell, and a name that is not one has no methods to ask)."""
        if isinstance(expr, ast.Name) and expr.id in self.methods:
            return expr.id
        qualified = self._qualname(expr)
        if qualified is None or qualified == getattr(expr, "id", None):
            return None  # a plain name bound by nothing we know (a local, a builtin)
        return qualified

    def returned(self, cls: str, method: str, depth: int = 0) -> str | None:
        """The class every definition of `method` in this module's class `cls` (or its
        bases) says it returns: by annotation, or by each `return` naming one class
        (`return FilePath(p)`, `return self`, `return self.clonePath(p)`)."""
        key = (cls, method)
        if key in self._returned:
            return self._returned[key]
        self._returned[key] = None  # while it is worked out: a method returning itself
        try:
            made = self._returned_uncached(cls, method, depth)
        finally:
            del self._returned[key]
        if depth == 0:  # a deeper answer may have been cut short by the depth
            self._returned[key] = made
        return made

    def _returned_uncached(self, cls: str, method: str, depth: int) -> str | None:
        owner = self.defines(cls, method)
        if owner is None or depth > _MAX_DEPTH:
            return None
        found: set[str | None] = set()
        for func in self.methods[owner][method]:
            made = self.annotated(func.returns)
            if made is None and not _is_stub(func):
                made = self._returned_by_body(func, cls, depth)
            if made is not None or not _is_stub(func):
                found.add(made)  # an `@overload` stub says nothing the real one does not
        return found.pop() if len(found) == 1 else None

    def _returned_by_body(self, func, cls: str, depth: int) -> str | None:
        nodes = list(_own_nodes(func))
        values = [node.value for node in nodes if isinstance(node, ast.Return)]
        if not values or any(value is None for value in values):
            return None
        # `sib = self.sibling(name); ...; return sib`: a local bound once, by an assignment.
        bound: dict[str, list[ast.expr]] = {}
        for node in nodes:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                bound.setdefault(node.targets[0].id, []).append(node.value)
        stores = [n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        values = [bound[v.id][0] if isinstance(v, ast.Name) and len(bound.get(v.id, ())) == 1
                  and stores.count(v.id) == 1 else v for v in values]
        classes = {self.made_by(value, cls, depth + 1) for value in values}
        return classes.pop() if len(classes) == 1 else None

    def made_by(self, expr: ast.expr, self_class: str | None, depth: int = 0) -> str | None:
        """The class of what an expression makes, from the module alone: `Cls(...)`,
        `self`, `self.method(...)` of a class here (`self_class`: the class `self` is)."""
        if isinstance(expr, ast.Name) and expr.id == "self":
            return self_class
        if not isinstance(expr, ast.Call) or depth > _MAX_DEPTH:
            return None
        func = expr.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "self":
            if self_class is None or self_class not in self.methods:
                return None
            return self.returned(self_class, func.attr, depth)
        return self.named(func)


def _class_body(body: list[ast.stmt]):
    """Methods of a class body, also those under an `if` there (`if TYPE_CHECKING:`)."""
    for stmt in body:
        if isinstance(stmt, _FUNCTIONS):
            yield stmt
        elif isinstance(stmt, ast.If):
            yield from _class_body(stmt.body)
            yield from _class_body(stmt.orelse)


def _is_stub(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def f(self) -> X: ...` (an overload, a protocol), or a docstring and nothing else."""
    body = [s for s in func.body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return not body or all(isinstance(s, ast.Pass) for s in body) or any(
        getattr(d, "id", getattr(d, "attr", None)) == "overload" for d in func.decorator_list)


def _own_nodes(func: ast.AST):
    """The nodes of a function's body, not of the functions and classes nested in it."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))
