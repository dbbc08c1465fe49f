"""Benchmark the door scan against a real Daphne, next to a trivial authenticated endpoint.

    .venv/bin/python bench/checkin.py                       # SQLite file, 8 scanners, 100 scans/s
    .venv/bin/python bench/checkin.py --rate 100 --seconds 15 --scanners 8
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_checkin .venv/bin/python bench/checkin.py
    .venv/bin/python bench/checkin.py --without-subscribers  # the check-in alone, no matching engine
    DATABASE_URL=postgres://… .venv/bin/python bench/checkin.py --workers 2  # two Daphne processes
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/checkin.py --live-worker  # matching elsewhere

Seeds its own database (var/bench-checkin.sqlite3, recreated each run, or the DATABASE_URL given,
which it migrates and fills), starts `daphne config.asgi:application` on a free port (with
`--workers N`, N Daphne processes accepting on one shared socket, as a process manager such as
systemd or circus runs them in production; see docs/deploy.md), and drives it
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

With the screens open (the default), each employer's board behaves as the board page does
(`--board-client rows`: a `board.changed` push is rendered from its rows, any other message or a
gap in `seq` fetches the HTML fragment; `--board-client refetch`: every message fetches the
fragment, at most every 250 ms, as the page did before issue 16), and the bench prints "door scan
-> board row": from a scan being sent during the fixed-rate phase until the candidate shows on an
employer's board, over every (board, candidate) pair that showed, with its ratio to the trivial
endpoint's p50 at the same rate.
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

from bench.database import environment, fresh_database  # noqa: E402

environment("checkin", served=True)


def seed(attendees: int, scanners: int) -> tuple[list[str], list[str], list[tuple[str, str, str]], dict[str, int]]:
    """A live job fair with `attendees` tickets and `scanners` paired phones. Returns payloads, device
    tokens, (WebSocket path, API token, fragment URL and session cookie or "") for the screens that
    watch: every employer's board and the organiser's control room; and each payload's user id."""
    fresh_database()
    from datetime import timedelta

    from django.utils import timezone

    from checkin import services
    from checkin.models import Ticket
    from checkin.selectors import ticket_payload
    from events.models import Event, Membership, Organisation, Registration, User
    from matching.demo_fair import random_fair

    Event.objects.filter(slug="bench-fair").delete()
    Organisation.objects.filter(name__startswith="Bench employer").delete()
    now = timezone.now()
    event = Event.objects.create(
        slug="bench-fair", title="Bench fair", kind=Event.Kind.JOB_FAIR, status=Event.Status.LIVE,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8),
    )  # fmt: skip
    organiser, _ = User.objects.get_or_create(email="bench-organiser@example.org", defaults={"is_staff": True})
    User.objects.filter(email__startswith="bench-").exclude(pk=organiser.pk).delete()
    organiser.api_tokens.all().delete()
    users = User.objects.bulk_create(
        [User(email=f"bench-{i}@example.org", full_name=f"Attendee {i}") for i in range(attendees)]
    )
    roles = [Registration.Role.CANDIDATE] * 6 + [Registration.Role.EMPLOYER] * 3 + [Registration.Role.OFFICIAL]
    Registration.objects.bulk_create(
        [
            Registration(event=event, user=u, role=roles[i % len(roles)], consent_share_profile=True)
            for i, u in enumerate(users)
        ]
    )
    # The fair's other half, so that every candidate's arrival costs the matching engine what it would.
    orgs = random_fair(event, [u for i, u in enumerate(users) if roles[i % len(roles)] == "candidate"])
    services.tickets_issue_for_event(event=event)
    tickets = list(Ticket.objects.filter(event=event).select_related("registration").order_by("?"))
    payloads = [ticket_payload(t) for t in tickets]
    holders = {payload: t.registration.user_id for payload, t in zip(payloads, tickets, strict=True)}
    tokens = [services.device_create(event=event, name=f"Gate {i}", created_by=organiser)[1] for i in range(scanners)]
    # The screens: one representative of each employer at their booth, and the organiser.
    from django.test import Client
    from django.urls import reverse

    watchers = [(f"/ws/events/{event.slug}/control/", api_token(organiser), "")]
    fragment = reverse("matching:board_fragment", args=[event.slug])
    for n, org in enumerate(orgs):
        rep = User.objects.create(email=f"bench-rep-{n}@example.org", organisation=org)
        Registration.objects.create(event=event, user=rep, role=Registration.Role.EMPLOYER, organisation=org)
        # As after an organiser's approval: without it the board refuses the socket (4403).
        Membership.objects.create(user=rep, organisation=org, status=Membership.Status.GRANTED, via="organiser")
        browser = Client()
        browser.force_login(rep)
        cookie = f"sessionid={browser.cookies['sessionid'].value}"
        watchers.append((f"/ws/matching/{event.slug}/board/", api_token(rep), f"{fragment} {cookie}"))
    return payloads, tokens, watchers, holders


def api_token(user) -> str:
    from events.models import ApiToken

    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="bench", prefix=raw[:8], key_hash=ApiToken.hash(raw))
    return raw


DAPHNE = """
import sys
import django
django.setup()
if {without!r}:
    from checkin import hooks
    hooks._subscribers.clear()  # measure the check-in alone, without other apps' reactions
    hooks._batch_subscribers.clear()
from daphne.cli import CommandLineInterface
CommandLineInterface().run(["--fd", "{fd}", "config.asgi:application"])
"""


def listening_socket() -> socket.socket:
    """One listening socket on a free port; every Daphne process accepts on it."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    return sock


def start_daphnes(sock: socket.socket, workers: int, without_subscribers: bool) -> list[subprocess.Popen]:
    code = DAPHNE.format(fd=sock.fileno(), without=without_subscribers)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=BASE,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(sock.fileno(),),
        )
        for _ in range(workers)
    ]
    port = sock.getsockname()[1]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # The socket accepts connections before any Daphne does; wait until each answers HTTP.
        if all(p.poll() is None for p in processes) and _answers(port):
            time.sleep(1.0 if workers > 1 else 0)  # the others finish starting meanwhile
            return processes
        if any(p.poll() is not None for p in processes):
            break
        time.sleep(0.2)
    for p in processes:
        p.kill()
    errors = b"".join(p.stderr.read() for p in processes if p.stderr)
    raise SystemExit("daphne did not start: " + errors.decode()[-2000:])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            conn.sendall(b"GET /api/v1/checkin/ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return conn.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


def _watch(url: str, origin: str, watchers: list[tuple[str, str, str]], board_client: str, conn: Any) -> None:
    """In a process of its own: hold the screens' WebSockets open, count what reaches them, and
    note when each candidate first shows on each employer's board (see the module's docstring)."""
    import json
    import re

    import httpx
    from websockets.asyncio.client import connect

    candidate_ids = re.compile(r'name="candidate_id" value="(\d+)"')

    async def main() -> None:
        counts = [0] * len(watchers)
        shown: list[dict[int, float]] = [{} for _ in watchers]  # board -> candidate -> first seen (time.time())
        sockets = [
            await connect(
                url + path,
                additional_headers={"Origin": origin, "Authorization": f"Bearer {token}"},
                compression=None,
                ping_interval=None,
                max_queue=None,
                max_size=2**22,
            )
            for path, token, _fragment in watchers
        ]
        client = httpx.AsyncClient(base_url=origin, timeout=30)

        def note(i: int, ids: Any) -> None:
            now = time.time()
            for cid in ids:
                shown[i].setdefault(int(cid), now)

        class Board:
            """What live.js does for one page: one snapshot fetch at a time, 250 ms apart at least."""

            def __init__(self, i: int, fragment: str) -> None:
                self.i, (self.url, self.cookie) = i, fragment.split(" ", 1)
                self.syncing = self.again = False
                self.last = 0.0
                self.seq: dict[str, int] = {}

            def resync(self) -> None:
                if self.syncing:
                    self.again = True
                    return
                self.syncing = True
                asyncio.get_running_loop().create_task(self.fetch())

            async def fetch(self) -> None:
                await asyncio.sleep(max(0.0, self.last + 0.25 - time.monotonic()))
                self.last = time.monotonic()
                self.again = False
                r = await client.get(self.url, headers={"Cookie": self.cookie})
                body = r.json()
                note(self.i, candidate_ids.findall(body.get("html", "")))
                self.seq.clear()
                self.syncing = False
                if self.again:
                    self.resync()

            def receive(self, msg: dict[str, Any]) -> None:
                if msg.get("type") in ("hello", "pong"):
                    return
                stream, seq = msg.get("stream"), msg.get("seq")
                gap = stream in self.seq and seq != self.seq[stream] + 1
                self.seq[stream] = seq
                if board_client == "rows" and msg.get("type") == "board.changed" and not gap and not self.syncing:
                    note(self.i, (r["candidate_id"] for o in msg["data"]["openings"] for r in o["candidates"]))
                else:
                    self.resync()

        async def listen(i: int, ws: Any) -> None:
            board = Board(i, watchers[i][2]) if watchers[i][2] else None
            try:
                async for message in ws:
                    counts[i] += 1
                    if board is not None:
                        board.receive(json.loads(message))
            except Exception:  # closed at the end
                pass

        tasks = [asyncio.create_task(listen(i, ws)) for i, ws in enumerate(sockets)]
        conn.send("ready")
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until told to stop
        for ws in sockets:
            await ws.close()
        await asyncio.gather(*tasks)
        await client.aclose()
        conn.send((counts, shown))

    asyncio.run(main())


def start_watchers(port: int, watchers: list[tuple[str, str, str]], board_client: str) -> tuple[Any, Any]:
    import multiprocessing

    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(
        target=_watch,
        args=(f"ws://127.0.0.1:{port}", f"http://127.0.0.1:{port}", watchers, board_client, child),
        daemon=True,
    )
    process.start()
    if not parent.poll(60) or parent.recv() != "ready":
        raise SystemExit("the screens could not connect")
    return process, parent


def stop_watchers(process: Any, conn: Any) -> tuple[list[int], list[dict[int, float]]]:
    """What each screen received, and when each candidate first showed on each board."""
    conn.send("stop")
    got = conn.recv() if conn.poll(30) else ([], [])
    process.join(timeout=10)
    return got


class Work:
    """What each request sends: a ping, or a scan of the next unused ticket."""

    def __init__(self, base: str, payloads: list[str]) -> None:
        self.base = base
        self.payloads = payloads
        self.next = 0
        self.sent: dict[int, float] = {}  # payload's index -> when it was sent (time.time())

    def request(self, kind: str, gate: int) -> tuple[str, str, dict | None]:
        if kind == "ping":
            return "GET", f"{self.base}/api/v1/checkin/ping", None
        payload = self.payloads[self.next]
        self.sent[self.next] = time.time()
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


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the server processes have used (all their threads), from /proc."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measured(pids: list[int], run: Any) -> tuple[float, list[float], float]:
    """Run one phase; also return the servers' CPU milliseconds per request, which other load on
    the machine does not inflate the way it inflates wall-clock latency."""
    before = cpu_seconds(pids)
    rps, latencies = asyncio.run(run)
    return rps, latencies, (cpu_seconds(pids) - before) * 1000 / max(1, len(latencies))


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
    parser.add_argument("--workers", type=int, default=1, help="Daphne processes sharing the socket")
    parser.add_argument(
        "--live-worker",
        action="store_true",
        help="with REDIS_URL: the matching engine's reaction in `runworker matching-live`, not in Daphne",
    )
    parser.add_argument(
        "--no-screens",
        action="store_true",
        help="no WebSocket clients (by default every employer's board and a control room are open)",
    )
    parser.add_argument(
        "--board-client",
        choices=["rows", "refetch"],
        default="rows",
        help="what a board does with a push: render its rows (the page since issue 16), or fetch the fragment",
    )
    parser.add_argument(
        "--without-subscribers",
        action="store_true",
        help="drop the on_checkin subscribers (the matching engine's live index) in the server",
    )
    args = parser.parse_args()
    if args.live_worker:
        if not os.environ.get("REDIS_URL"):
            raise SystemExit("--live-worker needs REDIS_URL (the worker is another process)")
        os.environ["MATCHING_LIVE_WORKER"] = "1"

    needed = int(args.rate * args.seconds) + 400 * args.scanners + 2000
    print(f"seeding {needed} tickets, {args.scanners} scanner devices …", flush=True)
    payloads, tokens, watchers, holders = seed(needed, args.scanners)
    sock = listening_socket()
    port = sock.getsockname()[1]
    daphnes = start_daphnes(sock, args.workers, args.without_subscribers)
    screens = None if args.no_screens else start_watchers(port, watchers, args.board_client)
    live = None
    if args.live_worker:
        live = subprocess.Popen(
            [sys.executable, "manage.py", "runworker", "matching-live"], cwd=BASE, env=os.environ.copy()
        )
    try:
        work = Work(f"http://127.0.0.1:{port}", payloads)
        # Warm up: connections, imports, the first counts timer.
        asyncio.run(saturate(work, "ping", tokens, 1.0))
        asyncio.run(saturate(work, "scan", tokens, 1.0))

        pids = [d.pid for d in daphnes]
        sat_ping = measured(pids, saturate(work, "ping", tokens, args.saturate_seconds))
        live_before = cpu_seconds([live.pid]) if live else 0.0
        sat_scan = measured(pids, saturate(work, "scan", tokens, args.saturate_seconds))
        live_cpu = (cpu_seconds([live.pid]) - live_before) * 1000 / len(sat_scan[1]) if live else None
        rate_ping = measured(pids, fixed_rate(work, "ping", tokens, args.rate, args.seconds))
        first_rated = work.next
        rate_scan = measured(pids, fixed_rate(work, "scan", tokens, args.rate, args.seconds))
        rated = range(first_rated, work.next)
        time.sleep(1.0)  # the last scans' rows reach the boards
    finally:
        received, shown = stop_watchers(*screens) if screens is not None else (None, [])
        if live is not None:
            live.terminate()
            try:
                live.wait(timeout=10)
            except subprocess.TimeoutExpired:
                live.kill()
        for daphne in daphnes:
            daphne.terminate()
        for daphne in daphnes:
            try:
                daphne.wait(timeout=10)
            except subprocess.TimeoutExpired:  # stuck closing its sockets: the figures are taken
                daphne.kill()
        sock.close()

    db = os.environ["DATABASE_URL"].split("://")[0]
    subscribers = "without" if args.without_subscribers else "with"
    servers = f"{args.workers} process" + ("es" if args.workers > 1 else "")
    print(f"\nDaphne ({servers}) on {db}, {args.scanners} concurrent scanners, {os.cpu_count()} CPUs, ", end="")
    where = " (the matching engine in runworker matching-live)" if args.live_worker else ""
    print(f"{subscribers} on_checkin subscribers{where}, load average {os.getloadavg()[0]:.1f}")
    if received is not None:
        print(f"screens open: a control room and {len(watchers) - 1} employer boards; ", end="")
        print(f"messages they received: {received[0]} and {sum(received[1:])}")
    print()
    print(f"saturation ({args.saturate_seconds:.0f} s each)")
    print(line("  trivial GET /ping", *sat_ping))
    print(line("  scan POST /scan", *sat_scan))
    if live_cpu is not None:
        print(f"  matching live worker: {live_cpu:.2f} ms CPU per scan (another process)")
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
    sent = {holders[payloads[n]]: work.sent[n] for n in rated}
    to_board = [(seen - sent[cid]) * 1000 for board in shown for cid, seen in board.items() if cid in sent]
    if to_board:
        p50, p99 = statistics.median(to_board), pct(to_board, 0.99)
        print(f"door scan -> board row ({args.board_client}): p50 {p50:.1f} ms, p99 {p99:.1f} ms ", end="")
        trivial = statistics.median(rate_ping[1])
        print(f"over {len(to_board)} (board, candidate) pairs; p50 {p50 / trivial:.1f}x the trivial p50")
    print(f"targets: scan <= 2x trivial: {'yes' if ok_cost else 'NO'};", end="  ")
    print(f"p99 < 50 ms at {args.rate:.0f} scans/s: {'yes' if ok_p99 else 'NO'}")


if __name__ == "__main__":
    main()
