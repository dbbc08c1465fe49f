"""Benchmark the door scan against a real Daphne, next to a trivial authenticated endpoint.

    .venv/bin/python bench/checkin.py                       # SQLite file, 8 scanners, 100 scans/s
    .venv/bin/python bench/checkin.py --rate 100 --seconds 15 --scanners 8
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_checkin .venv/bin/python bench/checkin.py
    .venv/bin/python bench/checkin.py --without-subscribers  # the check-in alone, no matching engine

Seeds its own database (var/bench-checkin.sqlite3, recreated each run, or the DATABASE_URL given,
which it migrates and fills), starts `daphne config.asgi:application` on a free port, and drives it
over HTTP with httpx from several concurrent "scanner phones", each with its own device token:

1. saturation: every scanner sends as fast as it gets answers, for the trivial endpoint
   (`GET /api/v1/checkin/ping`, the same device-token authentication and JSON answer, no business)
   and then for the scan (`POST /api/v1/checkin/scan`, every scan a fresh ticket: the full
   check-in path with its transaction, audit row, live counts and hooks);
2. fixed rate: the same two at `--rate` requests per second in total, each phone on its own
   schedule and one request at a time (latency is taken from the moment a request was due, so a
   server that falls behind cannot hide it).

Prints requests/s and latency p50/p99 for each, and the ratios scan / trivial.
Targets (issue 3): a scan costs at most 2x the trivial endpoint; p99 < 50 ms at 100 scans/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
# Run as a script, this folder would come first on sys.path, and bench/calendar.py would shadow the
# standard library's `calendar`; the project root goes there instead.
sys.path[0] = str(BASE)
DB = BASE / "var" / "bench-checkin.sqlite3"

os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789-0123456789-0123456789")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")


def seed(attendees: int, scanners: int) -> tuple[list[str], list[str]]:
    """A live job fair with `attendees` tickets and `scanners` paired phones. Returns payloads, tokens."""
    import django

    if os.environ["DATABASE_URL"].startswith("sqlite"):
        DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from checkin import services
    from checkin.models import Ticket
    from checkin.selectors import ticket_payload
    from events.models import Event, Registration, User

    call_command("migrate", verbosity=0)
    Event.objects.filter(slug="bench-fair").delete()
    now = timezone.now()
    event = Event.objects.create(
        slug="bench-fair", title="Bench fair", kind=Event.Kind.JOB_FAIR, status=Event.Status.LIVE,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8),
    )  # fmt: skip
    organiser, _ = User.objects.get_or_create(email="bench-organiser@example.org", defaults={"is_staff": True})
    User.objects.filter(email__startswith="bench-").exclude(pk=organiser.pk).delete()
    users = User.objects.bulk_create(
        [User(email=f"bench-{i}@example.org", full_name=f"Attendee {i}") for i in range(attendees)]
    )
    roles = [Registration.Role.CANDIDATE] * 6 + [Registration.Role.EMPLOYER] * 3 + [Registration.Role.OFFICIAL]
    Registration.objects.bulk_create(
        [Registration(event=event, user=u, role=roles[i % len(roles)]) for i, u in enumerate(users)]
    )
    services.tickets_issue_for_event(event=event)
    payloads = [ticket_payload(t) for t in Ticket.objects.filter(event=event).order_by("?")]
    tokens = [services.device_create(event=event, name=f"Gate {i}", created_by=organiser)[1] for i in range(scanners)]
    return payloads, tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DAPHNE = """
import sys
import django
django.setup()
if {without!r}:
    from checkin import hooks
    hooks._subscribers.clear()  # measure the check-in alone, without other apps' reactions
from daphne.cli import CommandLineInterface
CommandLineInterface().run(["-b", "127.0.0.1", "-p", "{port}", "config.asgi:application"])
"""


def start_daphne(port: int, without_subscribers: bool) -> subprocess.Popen:
    code = DAPHNE.format(port=port, without=without_subscribers)
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=BASE,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("daphne did not start: " + process.stderr.read().decode()[-2000:])


class Work:
    """What each request sends: a ping, or a scan of the next unused ticket."""

    def __init__(self, base: str, payloads: list[str]) -> None:
        self.base = base
        self.payloads = payloads
        self.next = 0

    def request(self, kind: str, gate: int) -> tuple[str, str, dict | None]:
        if kind == "ping":
            return "GET", f"{self.base}/api/v1/checkin/ping", None
        payload = self.payloads[self.next]
        self.next += 1
        return (
            "POST",
            f"{self.base}/api/v1/checkin/scan",
            {"payload": payload, "event": "bench-fair", "gate": f"G{gate}"},
        )


async def _send(client, token: str, method: str, url: str, body: dict | None, expect: int) -> None:
    response = await client.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != expect:
        raise SystemExit(f"unexpected {response.status_code} from {url}: {response.text[:300]}")


async def saturate(work: Work, kind: str, tokens: list[str], seconds: float) -> tuple[float, list[float]]:
    import httpx

    expect = 200 if kind == "ping" else 201
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def scanner(i: int, client) -> None:
        while time.perf_counter() < stop:
            method, url, body = work.request(kind, i)
            t = time.perf_counter()
            await _send(client, tokens[i], method, url, body, expect)
            latencies.append((time.perf_counter() - t) * 1000)

    start = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(scanner(i, client) for i in range(len(tokens))))
    return len(latencies) / (time.perf_counter() - start), latencies


async def fixed_rate(
    work: Work, kind: str, tokens: list[str], rate: float, seconds: float
) -> tuple[float, list[float]]:
    """Each scanner phone sends its share of `rate` on a fixed schedule, one request at a time (a
    phone does not scan the next person before it has shown the last answer). Latency counts from
    when a request was due, so a server that falls behind shows it."""
    import httpx

    expect = 200 if kind == "ping" else 201
    latencies: list[float] = []
    per_scanner = rate / len(tokens)
    count = int(per_scanner * seconds)
    start = time.perf_counter() + 0.2

    async def scanner(i: int, client) -> None:
        # Scanners are spread evenly over the interval, not all due at the same instant.
        offset = i / rate
        for n in range(count):
            due = start + offset + n / per_scanner
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            method, url, body = work.request(kind, i)
            await _send(client, tokens[i], method, url, body, expect)
            latencies.append((time.perf_counter() - due) * 1000)

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(scanner(i, client) for i in range(len(tokens))))
    return len(latencies) / (time.perf_counter() - start), latencies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the server process has used (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pid: int, run: Any) -> tuple[float, list[float], float]:
    """Run one phase; also return the server's CPU milliseconds per request, which other load on
    the machine does not inflate the way it inflates wall-clock latency."""
    before = cpu_seconds(pid)
    rps, latencies = asyncio.run(run)
    return rps, latencies, (cpu_seconds(pid) - before) * 1000 / max(1, len(latencies))


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def line(label: str, rps: float, lat: list[float], cpu: float) -> str:
    return (
        f"{label:<24} {rps:8.1f} req/s   p50 {statistics.median(lat):6.1f} ms   p99 {pct(lat, 0.99):6.1f} ms"
        f"   server CPU {cpu:5.2f} ms/req   n={len(lat)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scanners", type=int, default=8)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--saturate-seconds", type=float, default=5.0)
    parser.add_argument(
        "--without-subscribers",
        action="store_true",
        help="drop the on_checkin subscribers (the matching engine's live index) in the server",
    )
    args = parser.parse_args()

    needed = int(args.rate * args.seconds) + 400 * args.scanners + 2000
    print(f"seeding {needed} tickets, {args.scanners} scanner devices …", flush=True)
    payloads, tokens = seed(needed, args.scanners)
    port = free_port()
    daphne = start_daphne(port, args.without_subscribers)
    try:
        work = Work(f"http://127.0.0.1:{port}", payloads)
        # Warm up: connections, imports, the first counts timer.
        asyncio.run(saturate(work, "ping", tokens, 1.0))
        asyncio.run(saturate(work, "scan", tokens, 1.0))

        pid = daphne.pid
        sat_ping = measured(pid, saturate(work, "ping", tokens, args.saturate_seconds))
        sat_scan = measured(pid, saturate(work, "scan", tokens, args.saturate_seconds))
        rate_ping = measured(pid, fixed_rate(work, "ping", tokens, args.rate, args.seconds))
        rate_scan = measured(pid, fixed_rate(work, "scan", tokens, args.rate, args.seconds))
    finally:
        daphne.terminate()
        daphne.wait(timeout=10)

    db = os.environ["DATABASE_URL"].split("://")[0]
    subscribers = "without" if args.without_subscribers else "with"
    print(f"\nDaphne (1 process) on {db}, {args.scanners} concurrent scanners, {os.cpu_count()} CPUs, ", end="")
    print(f"{subscribers} on_checkin subscribers, load average {os.getloadavg()[0]:.1f}\n")
    print(f"saturation ({args.saturate_seconds:.0f} s each)")
    print(line("  trivial GET /ping", *sat_ping))
    print(line("  scan POST /scan", *sat_scan))
    print(f"\nfixed rate {args.rate:.0f}/s ({args.seconds:.0f} s each)")
    print(line("  trivial GET /ping", *rate_ping))
    print(line("  scan POST /scan", *rate_scan))
    ratio_rps = sat_ping[0] / sat_scan[0]
    ratio_p50 = statistics.median(rate_scan[1]) / statistics.median(rate_ping[1])
    ratio_p99 = pct(rate_scan[1], 0.99) / pct(rate_ping[1], 0.99)
    ratio_cpu = sat_scan[2] / sat_ping[2]
    print(f"\nratio scan/trivial: server CPU per request {ratio_cpu:.2f}x, throughput {ratio_rps:.2f}x, ", end="")
    print(f"p50 at {args.rate:.0f}/s {ratio_p50:.2f}x, p99 {ratio_p99:.2f}x")
    ok_cost = ratio_cpu <= 2.0
    ok_p99 = pct(rate_scan[1], 0.99) < 50
    print(f"targets: scan <= 2x trivial: {'yes' if ok_cost else 'NO'};", end="  ")
    print(f"p99 < 50 ms at {args.rate:.0f} scans/s: {'yes' if ok_p99 else 'NO'}")


if __name__ == "__main__":
    main()
