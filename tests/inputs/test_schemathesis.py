"""Schemathesis against the OpenAPI document, on a real Daphne, as an organiser and as a candidate (issue 11).

Every check Schemathesis has, so: no 5xx, no status code or content type the document does not
declare, no response that breaks its schema, no input of the wrong type accepted, no route that
ignores a bad token. All but one: `positive_data_acceptance`, which expects every schema-valid body
to succeed, while the API has rules a JSON Schema cannot say (a time zone from the IANA list, an end
after the start, dates between 2000 and 2100, an existing organisation's name, text without control
or direction-changing characters). Those answer a documented 422 with the error envelope.

Deselected by default (it takes a minute or two); CI runs it on its own (`pytest -m schemathesis`).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from events.models import User
from tests.conftest import make_token
from tests.servers import DaphneServer, child_env

pytestmark = [pytest.mark.schemathesis, pytest.mark.e2e]

# Small enough for the whole run to stay within about three minutes on a busy CI machine.
MAX_EXAMPLES = 10
SEED = 11


def _schemathesis() -> str:
    found = Path(sys.executable).with_name("schemathesis")
    return str(found) if found.exists() else (shutil.which("schemathesis") or "schemathesis")


@pytest.fixture
def server(transactional_db):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    # Rate limits stay on: their 429 is a documented answer like any other.
    daphne = DaphneServer(env=child_env()).start()
    yield daphne
    daphne.close()


@pytest.mark.parametrize("who", ["organiser@explorers.example", "zainab.hussein@mail.example"])
def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(server, who, tmp_path):
    token = make_token(User.objects.get(email=who), name="schemathesis")
    command = [
        _schemathesis(),
        "run",
        f"{server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "30",
        "--report-dir",
        str(tmp_path / "report"),
    ]
    # To a file: a pipe nobody reads until the end could fill up and stop the run.
    log = tmp_path / "schemathesis.log"
    with log.open("wb") as out:
        # Its cache (.schemathesis/) goes to the temporary folder, not the checkout.
        done = subprocess.run(command, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT, timeout=600, check=False)
    text = log.read_text(errors="replace")
    assert done.returncode == 0, text[-6000:] + "\n--- server log ---\n" + server.log()[-3000:]
    assert "passed" in text
