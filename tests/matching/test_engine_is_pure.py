"""The engine package imports nothing from Django or from any app: it stands on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "matching" / "engine"
APPS = {"config", "events", "checkin", "matching", "realtime", "tests", "bench"}


def _imports(path: Path) -> list[str]:
    """Every module the file imports, at any depth (inside functions and `if TYPE_CHECKING` too)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: a relative import ({'.' * node.level}{node.module or ''})"
            names.append(node.module or "")
    return names


def _outside(name: str) -> bool:
    top = name.split(".")[0]
    if name == "matching.engine" or name.startswith("matching.engine."):
        return False
    return top == "django" or top in APPS


@pytest.mark.parametrize("path", sorted(ENGINE.glob("*.py")), ids=lambda p: p.name)
def test_engine_module_imports_no_django_and_no_app(path):
    assert [name for name in _imports(path) if _outside(name)] == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from matching.models import Opening\n    import django.db\n")
    assert [name for name in _imports(bad) if _outside(name)] == ["matching.models", "django.db"]


def test_the_engine_package_holds_the_pure_modules():
    assert {p.stem for p in ENGINE.glob("*.py")} >= {"__init__", "scoring", "live_index", "scheduling"}
