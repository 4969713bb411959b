"""The architecture, checked: imports point down only, no cycles, SQL only in the store.

    views     cli, report                 may import everything below
    engines   lineage, openness, trends   the store, sources' parsers, domain, licenses
    store     store                       sources (the loaders take their records), domain...
    sources   sources                     parse only: domain, licenses, model, errors
    rules     domain, licenses            model, errors, jsonable
    base      robinet, model, errors, jsonable

Every import counts, the ones inside functions too: a lazy import that points up is still a
dependency that points up. Imports under `if TYPE_CHECKING:` are annotations, not dependencies.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "robinet"

LAYERS = {
    "model": 0,
    "errors": 0,
    "jsonable": 0,
    "__init__": 0,
    "__main__": 5,
    "domain": 1,
    "licenses": 1,
    "sources": 2,
    "store": 3,
    "lineage": 4,
    "openness": 4,
    "trends": 4,
    "duties": 4,
    "audit": 4,
    "report": 5,
    "cli": 5,
    "web": 5,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        name = _module_name(path)
        targets: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("robinet")}
            elif (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.level == 0
                and node.module.startswith("robinet")
            ):  # `from robinet.x import y`: y may be a submodule; the module is enough
                targets.add(node.module)
        graph[name] = targets - {name}
    return graph


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:`."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                pending.extend(child.orelse)
                continue
            pending.append(child)
    return nodes


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_area_has_a_layer() -> None:
    assert {_area(m) for m in _imports()} <= set(LAYERS)


def test_imports_point_down_only() -> None:
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in _imports().items()
        for target in targets
        if LAYERS[_area(target)] > LAYERS[_area(module)]
    )
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_packages() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in _imports().items():
        packages[_area(module)] |= {_area(t) for t in targets} - {_area(module)}
    assert _cycles(dict(packages)) == []


def test_no_import_cycles_between_modules() -> None:
    graph = _imports()
    # a package's __init__ re-exporting its own modules is not a cycle of dependencies
    pruned = {
        module: {t for t in targets if not t.startswith(module + ".")}
        for module, targets in graph.items()
    }
    assert _cycles(pruned) == []


SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|CREATE\s+(TEMP\s+)?TABLE)\b")


def test_sql_lives_in_the_store_only() -> None:
    outside = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if _area(_module_name(path)) != "store"
        and SQL.search(path.read_text("utf-8").replace("\n", " "))
    )
    assert outside == []


def test_modules_stay_small() -> None:
    large = sorted(
        f"{path.relative_to(SRC)}: {n} lines"
        for path in SRC.rglob("*.py")
        if (n := len(path.read_text("utf-8").splitlines())) > 500
    )
    assert large == []
