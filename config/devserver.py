"""`make run`'s supervisor: Daphne and the two django-q2 clusters, stopped together by one Ctrl-C.

    python -m config.devserver --host 127.0.0.1 --port 8000

A shell that starts servers with `&` cannot stop them well: a background job ignores SIGINT, and
`kill 0` also hits the clusters' own worker processes in the middle of their shutdown. Here each
child gets a process group of its own (so the terminal's Ctrl-C reaches only this supervisor), and
on SIGINT, SIGTERM or SIGHUP, or when one child dies, every child is asked to stop with SIGTERM
(Daphne and django-q2 both shut down cleanly on it), given STOP_GRACE seconds, then its whole group
is killed. The exit status is 0 after a requested stop, 1 when a child died on its own.

Children inherit SITE_URL = http://HOST:PORT unless SITE_URL is set, so every link they email and
every feed link points at the port that answers, and config.settings_dev unless
DJANGO_SETTINGS_MODULE is set, so emails are written as readable files (config/mail_backend.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

BASE_DIR = Path(__file__).resolve().parent.parent
STOP_GRACE = 8.0
URGENT_CLUSTER = "urgent"  # events.tasks.URGENT_CLUSTER; not imported, to start without Django


def child_environment(*, host: str, port: int, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the servers run in: SITE_URL follows host and port unless it is set."""
    env = dict(environ)
    if not env.get("SITE_URL"):
        shown = f"[{host}]" if ":" in host else host
        env["SITE_URL"] = f"http://{shown}:{port}"
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_dev")
    env.setdefault("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def commands(*, host: str, port: int) -> list[tuple[str, list[str], dict[str, str]]]:
    """(name, argv, extra environment) of each child."""
    python = sys.executable
    manage = str(BASE_DIR / "manage.py")
    return [
        ("web", [python, "-m", "daphne", "-b", host, "-p", str(port), "config.asgi:application"], {}),
        ("worker", [python, manage, "qcluster"], {}),
        ("urgent worker", [python, manage, "qcluster"], {"Q_CLUSTER_NAME": URGENT_CLUSTER}),
    ]


class Supervisor:
    def __init__(self, *, host: str, port: int, environ: Mapping[str, str]) -> None:
        self.host = host
        self.port = port
        self.env = child_environment(host=host, port=port, environ=environ)
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.stopping = False

    def start(self) -> None:
        for name, argv, extra in commands(host=self.host, port=self.port):
            # A session of its own: the terminal's Ctrl-C is for the supervisor, which stops the
            # children in order; the group lets it kill whatever a child left behind.
            process = subprocess.Popen(argv, cwd=BASE_DIR, env={**self.env, **extra}, start_new_session=True)
            self.children.append((name, process))

    def request_stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.request_stop)
        self.start()
        died = None
        while not self.stopping:
            for name, process in self.children:
                if process.poll() is not None:
                    died = (name, process.returncode)
                    break
            if died is not None:
                break
            time.sleep(0.2)
        self.stop()
        if died is not None and not self.stopping:
            print(f"devserver: the {died[0]} stopped on its own (exit {died[1]}); stopped the others", file=sys.stderr)
            return 1
        return 0

    def stop(self) -> None:
        for _name, process in self.children:
            if process.poll() is None:
                _signal_quietly(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for _name, process in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
        # Whatever is left (a child past its grace, a worker process its parent did not reap) goes.
        for _name, process in self.children:
            _kill_group(process.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=2)


def _signal_quietly(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    args = parser.parse_args(argv)
    supervisor = Supervisor(host=args.host, port=args.port, environ=os.environ)
    print(f"Links in emails and feeds point at {supervisor.env['SITE_URL']}", flush=True)
    print(
        f"Emails are written to {supervisor.env['EMAIL_FILE_PATH']}/ (an .eml and a readable .txt each)"
        if supervisor.env["DJANGO_SETTINGS_MODULE"] == "config.settings_dev"
        else f"Emails go where {supervisor.env['DJANGO_SETTINGS_MODULE']} says",
        flush=True,
    )
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
