"""The engine must run without Django: the benchmark and other tools import it alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ENGINE_MODULES = [
    "matching.engine",
    "matching.engine.scoring",
    "matching.engine.score_matrix",
    "matching.engine.live_index",
    "matching.engine.scheduling",
    "matching.engine.edge_colouring",
    "matching.engine.schedule_exact",
]


def test_importing_the_engine_loads_no_django_module():
    code = (
        "import sys\n"
        f"for name in {ENGINE_MODULES!r}: __import__(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_engine_public_names_are_importable_from_one_place():
    from matching import engine

    for name in engine.__all__:
        assert getattr(engine, name) is not None
