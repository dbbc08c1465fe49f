"""Fixtures for the privacy tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.models import private_storage


@pytest.fixture(autouse=True)
def _no_cv_left_behind():
    """CVs saved by a test go to the private storage: delete what the test added (erased or not)."""
    root = Path(private_storage().location) / "cv"
    before = set(root.rglob("*")) if root.exists() else set()
    yield
    after = set(root.rglob("*")) if root.exists() else set()
    for path in sorted(after - before, reverse=True):
        if path.is_file():
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
