"""A module's `_private` names stay its own: no module reaches into another module's underscore names
(issue 16, "no private internals"). What two modules share is public and named for what it does.

Allowed: a package's modules among themselves (matching/board/ is one unit split into files), dunder
names, and names of other libraries (Django's `_meta` is its documented API).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.architecture.test_imports import modules


def _package(name: str) -> str:
    return name.rsplit(".", 1)[0]


def _project(name: str) -> bool:
    return name in modules()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _home(module) -> str:
    """The package whose modules may share private names with `module` (a package's __init__ is in it)."""
    return module.name if module.path.name == "__init__.py" else _package(module.name)


def _reaches(module) -> list[str]:
    """Where `module` uses another project module's private name: `from x import _y` or `x._y`."""
    found, aliases, home = [], {}, _home(module)
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module and _project(node.module):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if _project(target):  # `from matching import timetable`: a module bound to a name
                    aliases[alias.asname or alias.name] = target
                elif _private(alias.name) and _package(node.module) != home and node.module != home:
                    found.append(f"{module.name}:{node.lineno} from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _project(alias.name) and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and _private(node.attr):
            target = aliases.get(node.value.id)
            if target and target != module.name and _package(target) != home:
                found.append(f"{module.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    found = [hit for module in modules().values() for hit in _reaches(module)]
    assert found == [], "make the shared helper public (no underscore) where it is defined:\n" + "\n".join(found)


def test_the_check_sees_both_forms():
    tree = ast.parse("from events.tasks import _send\nfrom matching import timetable\ntimetable._plan()\n")
    module = type("M", (), {"name": "checkin.door", "tree": tree, "path": Path("checkin/door.py")})()
    assert _reaches(module) == ["checkin.door:1 from events.tasks import _send", "checkin.door:3 timetable._plan"]
