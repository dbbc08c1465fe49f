"""`make run`'s supervisor (config/devserver.py): links follow the port, urgent mail, one Ctrl-C stops all."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django_q.conf import Conf

from config.devserver import child_environment
from events.lost_links import send_link_again
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.servers import BASE_DIR, child_env, free_port, port_answers


def test_site_url_follows_host_and_port_unless_set():
    env = child_environment(host="127.0.0.1", port=8101, environ={})
    assert env["SITE_URL"] == "http://127.0.0.1:8101"
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings_dev"
    kept = child_environment(host="0.0.0.0", port=8101, environ={"SITE_URL": "https://events.example.org"})
    assert kept["SITE_URL"] == "https://events.example.org"


def _session_members(sessions: set[int]) -> set[int]:
    """Live processes in the given sessions (each child of the supervisor leads one)."""
    members = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, session. A zombie is gone for our purpose.
        if int(fields[3]) in sessions and fields[0] != "Z":
            members.add(int(stat.parent.name))
    return members


def _children_of(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_supervisor_serves_mails_urgent_links_to_its_port_and_stops_everything_on_ctrl_c(tmp_path, monkeypatch):
    registration = RegistrationFactory(
        event=EventFactory(title="معرض الوظائف"), user=UserFactory(full_name="زينب حسين"), language="ar"
    )
    port = free_port()
    env = child_env(
        DJANGO_SETTINGS_MODULE="config.settings_dev",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        SITE_URL=None,
        EMAIL_BACKEND=None,
        EMAIL_HOST=None,
        Q_WORKERS="1",
    )
    log = (tmp_path / "devserver.log").open("wb")
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "config.devserver", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status != 200:
            assert supervisor.poll() is None, (tmp_path / "devserver.log").read_text()
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code
            except httpx.HTTPError:
                time.sleep(0.3)
        assert status == 200

        # The link goes through the real urgent cluster and lands as a readable file.
        monkeypatch.setattr(Conf, "SYNC", False)
        send_link_again(registration)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list((tmp_path / "mail").glob("*.txt")):
            time.sleep(0.2)
        (text,) = [p.read_text(encoding="utf-8") for p in (tmp_path / "mail").glob("*.txt")]
        assert "Subject: " in text and "معرض الوظائف" in text
        assert "زينب حسين" in text
        assert f"http://127.0.0.1:{port}/me/link/" in text
        assert len(list((tmp_path / "mail").glob("*.eml"))) == 1

        sessions = _children_of(supervisor.pid)
        assert len(sessions) == 3  # Daphne and the two clusters, each leading a session of its own
        members = _session_members(sessions)
        assert len(members) > 3  # the clusters' own worker processes too

        started = time.monotonic()
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=15) == 0
        while _session_members(sessions) and time.monotonic() - started < 5:
            time.sleep(0.1)
        assert _session_members(sessions) == set()
        assert time.monotonic() - started < 10
        assert not port_answers(port)
        output = (tmp_path / "devserver.log").read_text()
        assert "Segmentation fault" not in output
        assert "Traceback" not in output
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        log.close()
