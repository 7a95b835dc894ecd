"""The screens' import graph: no cycles (imports inside functions count), no screen reaching into
another area except through the navigation owner or screens.common, and one module per flow that
imports its step screens."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAVIGATION_OWNER = "screens.shell.registry"  # opens each area from the home menu
SHARED = "screens.common"
# Mixins every list screen adds: not screens, so any area may use them.
MIXINS = {"screens.transfer.export"}  # 导出Excel (Ctrl+O)
FLOWS = {  # a flow module and the step screens only it imports
    "screens.task_orders.flow": {"screens.task_orders.community_select", "screens.task_orders.form",
                                 "screens.task_orders.house_grid", "screens.task_orders.confirm",
                                 "screens.task_orders.done"},
}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def screen_graph() -> dict[str, set[str]]:
    files = {module_name(f): f for f in (ROOT / "screens").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(parent + ([base] if base else []))
                for alias in node.names:  # `from screens.x import module` names the module itself
                    deps.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base)
        graph[name] = {d for d in deps if d in files and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def area(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    graph = screen_graph()
    assert "screens.task_orders.home" in graph[NAVIGATION_OWNER]  # imported inside a function there


def test_no_screen_modules_import_each_other_in_a_circle():
    assert cycles(screen_graph()) == []


def test_no_screen_reaches_into_another_area():
    wrong = sorted(f"{importer} → {imported}" for importer, deps in screen_graph().items() for imported in deps
                   if area(imported) not in (area(importer), SHARED) and importer != NAVIGATION_OWNER
                   and imported not in MIXINS and imported != "screens")
    assert wrong == []


def test_only_the_flow_imports_its_step_screens():
    wrong = sorted(f"{importer} → {imported}" for importer, deps in screen_graph().items() for imported in deps
                   for flow, step_screens in FLOWS.items() if imported in step_screens and importer != flow)
    assert wrong == []
