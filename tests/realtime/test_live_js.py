"""The vendored client (static/realtime/live.js) against a scripted fake server, run by Node's test runner.

Reconnect with backoff and jitter, heartbeats, seq gaps and resync, refusal codes: see
tests/realtime/js/live.test.cjs. A browser test of the same script against a real Daphne lives with
the live pages.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

NODE = shutil.which("node")
JS_TESTS = Path(__file__).parent / "js"


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_live_js_behaves_as_documented():
    result = subprocess.run([NODE, "--test", str(JS_TESTS)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
