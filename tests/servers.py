"""Real servers for end-to-end tests and benchmarks: Daphne subprocesses and a private Redis.

A Daphne child runs `config.settings_test` against the *test* database the calling test uses
(the file-backed SQLite test DB, or pytest-django's `test_…` PostgreSQL database), so it sees every
row a `transactional_db` test has committed, and the test sees every row the server writes.

    from tests.servers import daphne  # noqa: F401  (the fixture)

    def test_something(daphne):
        httpx.get(daphne.url + "/api/v1/events")

`DaphneServer` and `RedisServer` can be used directly to start several workers, restart one, or
stop Redis in the middle of a test. Every process started here is killed on teardown.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0

requires_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="the redis-server binary is not installed"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def child_database_url() -> str:
    """A DATABASE_URL naming the database the current test runs on (call it inside a DB test)."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise RuntimeError("a Daphne child process cannot share an in-memory SQLite database")
        return f"sqlite:///{Path(name).resolve()}"
    base = os.environ.get("DATABASE_URL", "")
    if not base:
        raise RuntimeError("cannot describe the test database to a child process")
    return urlsplit(base)._replace(path="/" + str(settings["NAME"])).geturl()


def child_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a server child: test settings, the test DB, this run's Redis."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": child_database_url(),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


class DaphneServer:
    """One Daphne worker serving `config.asgi:application` on a free port of 127.0.0.1."""

    def __init__(self, *, env: dict[str, str] | None = None, port: int | None = None) -> None:
        self.env = env if env is not None else child_env()
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="daphne-", suffix=".log", delete=False)  # noqa: SIM115
        self.log_path = Path(self._log.name)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        """The Origin header a WebSocket client must send (AllowedHostsOriginValidator)."""
        return self.url

    def start(self) -> DaphneServer:
        cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"]
        self.proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.proc.returncode}:\n{self.log()}")
            if port_answers(self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"daphne did not answer on port {self.port} within {START_TIMEOUT}s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        # Wait until the port is free again so a restart on the same port can bind.
        deadline = time.monotonic() + 10
        while port_answers(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def restart(self) -> DaphneServer:
        """Stop and start again on the same port, as a supervisor would after a crash."""
        self.stop()
        return self.start()

    def rss_bytes(self) -> int:
        """The worker's resident memory, from /proc (Linux)."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def close(self) -> None:
        self.stop()
        self._log.close()
        with contextlib.suppress(OSError):
            self.log_path.unlink()


class RedisServer:
    """A private redis-server on a free port, so a test may stop it without disturbing anyone else."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while not port_answers(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@contextlib.contextmanager
def running(*servers: DaphneServer | RedisServer) -> Iterator[None]:
    """Start the servers in order and stop them all (in reverse) however the block ends."""
    started: list[DaphneServer | RedisServer] = []
    try:
        for server in servers:
            server.start()
            started.append(server)
        yield
    finally:
        for server in reversed(started):
            server.stop()
        for server in servers:
            if isinstance(server, DaphneServer):
                server.close()


@pytest.fixture
def daphne(transactional_db) -> Iterator[DaphneServer]:
    """A real Daphne on the test database (and on Redis when REDIS_URL is set)."""
    server = DaphneServer()
    with running(server):
        yield server


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    """A redis-server only this test uses; it may stop and start it at will."""
    if shutil.which("redis-server") is None:
        pytest.skip("the redis-server binary is not installed")
    server = RedisServer()
    with running(server):
        yield server
