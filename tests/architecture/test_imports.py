"""Dependencies run one way, read from the source with `ast` (imports inside functions included).

    config      wires everything: settings, URLs, the API object (config/auth.py imports no router)
    matching    may import checkin, events, realtime
    checkin     may import events, realtime
    events      may import realtime; checkin and matching plug into it through events.hooks
    realtime    imports no domain app

And the service modules (where state changes) never import each other in a circle, and no import of
the project's own code hides behind `except ImportError`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("config", "events", "matching", "checkin", "realtime")
DOMAIN = frozenset({"events", "matching", "checkin"})
# Who may not import whom: (importer package, imported package).
FORBIDDEN = {
    ("realtime", "events"),
    ("realtime", "checkin"),
    ("realtime", "matching"),
    ("events", "checkin"),
    ("events", "matching"),
}
# Where state changes: the graph of imports among these must have no cycle.
SERVICE_MODULE_NAMES = frozenset({"services", "live", "meetings", "door", "sessions"})


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    line: int
    top_level: bool  # run when the module is imported, not inside a function


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: list[Import] = field(default_factory=list)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Module]:
    found: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = _module_name(path)
            found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    for module in found.values():
        module.imports = list(_imports_of(module, found))
    return found


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if module.path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports_of(module: Module, known: dict[str, Module]):
    def visit(node: ast.AST, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = top_level and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(module.name, alias.name, child.lineno, top_level))
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, child)
                for alias in child.names:
                    # `from events import hooks` imports the module events.hooks.
                    target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    found.append(Import(module.name, target, child.lineno, top_level))
            visit(child, nested)

    found: list[Import] = []
    visit(module.tree, True)
    return found


def _package(name: str) -> str:
    return name.split(".", 1)[0]


def _location(imp: Import) -> str:
    where = "" if imp.top_level else " (inside a function)"
    return f"{modules()[imp.importer].path.relative_to(ROOT)}:{imp.line} imports {imp.target}{where}"


def test_the_reader_finds_imports_at_every_depth():
    # The rules below are only as good as this reader: a module-level import, a relative one and one
    # inside a function must all be seen.
    services = modules()["events.services"].imports
    assert any(i.target == "events.models" and i.top_level for i in services)
    assert any(i.target == "events.hooks" for i in services)
    assert any(not i.top_level for mod in modules().values() for i in mod.imports)
    assert {"events.hooks", "realtime.generations", "config.auth"} <= set(modules())


@pytest.mark.parametrize(("importer", "imported"), sorted(FORBIDDEN))
def test_no_import_runs_back_up(importer, imported):
    wrong = [
        _location(imp)
        for mod in modules().values()
        if _package(mod.name) == importer
        for imp in mod.imports
        if _package(imp.target) == imported
    ]
    assert wrong == [], f"{importer}/ must not import {imported}/ (see docs/architecture.md): " + "; ".join(wrong)


def _routers() -> set[str]:
    """Modules that define a django-ninja Router (the ones config/api.py mounts)."""
    out = set()
    for mod in modules().values():
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Router":
                out.add(mod.name)
    return out


def _loaded_with(name: str) -> set[str]:
    """Every project module importing `name` loads, following module-level imports only."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in modules():
            continue
        seen.add(current)
        todo += [imp.target for imp in modules()[current].imports if imp.top_level]
        # A package's __init__ runs before any of its modules.
        todo += [current.rsplit(".", 1)[0]] if "." in current else []
    return seen


def test_the_auth_lists_import_no_router():
    routers = _routers()
    assert {"events.api", "checkin.api", "matching.api"} <= routers
    loaded = _loaded_with("config.auth")
    assert loaded & (routers | {"config.api"}) == set()


def test_routers_take_the_auth_lists_from_config_auth():
    # Not from config.api, which imports every router: that cycle is what config/auth.py removes.
    wrong = [_location(imp) for name in _routers() for imp in modules()[name].imports if imp.target == "config.api"]
    assert wrong == []


def _service_graph() -> dict[str, set[str]]:
    nodes = {
        name
        for name in modules()
        if _package(name) in DOMAIN and name.count(".") == 1 and name.rsplit(".", 1)[1] in SERVICE_MODULE_NAMES
    }
    return {
        name: {imp.target for imp in modules()[name].imports if imp.target in nodes and imp.target != name}
        for name in sorted(nodes)
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a.services": {"a.live"}, "a.live": {"b.door"}, "b.door": {"a.services"}, "b.services": {"a.live"}}
    assert _cycles(graph) == [["a.live", "a.services", "b.door"]]
    assert _cycles({"a.services": {"a.live"}, "a.live": set()}) == []


def test_service_modules_import_each_other_in_no_circle():
    graph = _service_graph()
    assert {"events.services", "events.live", "matching.meetings", "checkin.services", "checkin.door"} <= set(graph)
    cycles = _cycles(graph)
    described = [" -> ".join(cycle) + " (each imports the next, module level or inside a function)" for cycle in cycles]
    assert cycles == [], "; ".join(described)


def _guarded_project_imports() -> list[str]:
    found = []
    for mod in modules().values():
        for node in ast.walk(mod.tree):
            if not isinstance(node, ast.Try):
                continue
            caught = set()
            for handler in node.handlers:
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                caught |= {getattr(t, "id", "") for t in types}
            if not caught & {"ImportError", "ModuleNotFoundError"}:
                continue
            for child in node.body:
                for imp in ast.walk(child):
                    names = []
                    if isinstance(imp, ast.Import):
                        names = [a.name for a in imp.names]
                    elif isinstance(imp, ast.ImportFrom) and not imp.level:
                        names = [imp.module or ""]
                    if any(_package(n) in PACKAGES for n in names) or (isinstance(imp, ast.ImportFrom) and imp.level):
                        found.append(f"{mod.path.relative_to(ROOT)}:{imp.lineno}")
    return found


def test_no_import_of_our_own_code_is_guarded_by_except_import_error():
    # Every app is always installed: a guard only turns a broken import into silence.
    assert _guarded_project_imports() == []


def test_the_hooks_events_calls_are_plugged_in():
    """Events reaches checkin and matching only through what they register in events.hooks: a missing
    registration would leave tickets unissued or live figures blank without an error."""
    from events import hooks

    registered = hooks.registered()
    assert "checkin.services.tickets_issue_seated" in registered["registration_seated"]
    assert registered["registration_ticket"] == ["checkin.selectors.registration_ticket"]
    for name, app in hooks.FIGURES.items():
        assert [fn.split(".", 1)[0] for fn in registered[f"figure:{name}"]] == [app], name
