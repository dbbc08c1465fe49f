"""Benchmark live updates end to end against real Daphne workers, beside a bare echo consumer.

    .venv/bin/python bench/realtime.py                                   # one worker, in-memory layer
    .venv/bin/python bench/realtime.py --clients 500 --max-clients 1000 --rate 20 --seconds 10
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/realtime.py  # two workers on Redis

Seeds its own database (var/bench-realtime.sqlite3, recreated each run, or the DATABASE_URL
given): a live job fair with public sessions, attendees with API tokens and an organiser. Then, for
the live platform and for a bare echo consumer (bench/realtime_asgi.py: no auth, no database, one
group), each on fresh Daphne processes (two on Redis when REDIS_URL is set, clients split across
them, actions sent to the first):

1. connects `--clients` WebSocket clients: lobby screens (anonymous), attendees' "My day" and
   organisers' control rooms (bearer tokens), in the ratio 3 : 6 : 1;
2. drives `--rate` actions per second for `--seconds` (open loop): a session delay through the
   HTTP API (the full service: transaction, revision bump, calendar hook, publish), or for the echo
   server a bare group send; every client receives every action;
3. prints the action's HTTP latency, and per delivered message the time from the action's request
   and from its response to the client's receipt (p50, p99), messages per second;
4. connects more clients up to `--max-clients` and prints the worker's memory per connection.

Targets (issue 6, this 2-core machine): 1,000 clients on one worker; p99 under 100 ms from action to
screen at 20 actions/s with 500 clients; under 300 MB for the worker with 1,000 clients.
The clients run in this one Python process on the same machine, so their own work is part of the
figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE)  # bench/calendar.py must not shadow the standard library's calendar
DB = BASE / "var" / "bench-realtime.sqlite3"

os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789-0123456789-0123456789")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("CHANNEL_PREFIX", f"bench{os.getpid()}")
os.environ.setdefault("CACHE_PREFIX", f"bench{os.getpid()}")
os.environ.setdefault("Q_SYNC", "0")  # calendar work is queued for a qcluster, as in production

SLUG = "bench-live"
SESSIONS = 10


def seed(attendees: int) -> tuple[str, list[str], list[int]]:
    """The fair, its sessions and people. Returns the organiser token, attendee tokens, session ids."""
    import django

    if os.environ["DATABASE_URL"].startswith("sqlite"):
        DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from events.models import ApiToken, Event, Registration, Room, Session, User

    call_command("migrate", verbosity=0)
    Event.objects.filter(slug=SLUG).delete()
    User.objects.filter(email__startswith="bench-rt-").delete()
    now = timezone.now()
    event = Event.objects.create(
        slug=SLUG, title="Bench live fair", kind=Event.Kind.JOB_FAIR, status=Event.Status.LIVE,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=10),
    )  # fmt: skip
    room = Room.objects.create(event=event, name="Hall")
    sessions = Session.objects.bulk_create(
        [
            Session(
                event=event,
                title=f"Session {i}",
                room=room,
                starts_at=now + timedelta(hours=1, minutes=10 * i),
                ends_at=now + timedelta(hours=1, minutes=10 * i + 30),
            )
            for i in range(SESSIONS)
        ]
    )
    organiser = User.objects.create(email="bench-rt-organiser@example.org", is_staff=True)
    users = User.objects.bulk_create([User(email=f"bench-rt-{i}@example.org") for i in range(attendees)])
    roles = [Registration.Role.CANDIDATE] * 4 + [Registration.Role.EMPLOYER] * 2
    Registration.objects.bulk_create(
        [Registration(event=event, user=u, role=roles[i % len(roles)]) for i, u in enumerate(users)]
    )
    raws, rows = [], []
    for user in [organiser, *users]:
        raw = ApiToken.generate()
        raws.append(raw)
        rows.append(ApiToken(user=user, name="bench", prefix=raw[:8], key_hash=ApiToken.hash(raw)))
    ApiToken.objects.bulk_create(rows)
    return raws[0], raws[1:], [s.pk for s in sessions]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


# Clients find an action's key with a regular expression rather than parsing JSON: 10,000
# messages a second in one Python process would otherwise measure the client, not the server.
_K = re.compile(r'"k":\s*(\d+)')
_ID = re.compile(r'"id":(\d+)')
_REVISION = re.compile(r'"revision":(\d+)')


def key_echo(raw: str):
    m = _K.search(raw)
    return int(m.group(1)) if m else None


def key_live(raw: str):
    if not raw.startswith('{"type":"session.changed"'):
        return None
    return (int(_ID.search(raw).group(1)), int(_REVISION.search(raw).group(1)))


class Clients:
    """WebSocket clients in their own process, so their work does not delay the action driver.

    Receipt times are `time.monotonic()`, which on Linux is one clock for every process.
    """

    def __init__(self, key) -> None:
        self.key = key
        self.received: dict[object, list[float]] = {}
        self.sockets: list = []
        self.tasks: list = []
        self.failed = 0

    async def connect(self, targets: list[tuple[str, dict]]) -> tuple[int, int]:
        import websockets

        async def one(url: str, headers: dict) -> None:
            try:
                ws = await websockets.connect(url, additional_headers=headers, max_queue=None, open_timeout=60)
                await ws.recv()  # hello
            except Exception:
                self.failed += 1
                return
            self.sockets.append(ws)
            self.tasks.append(asyncio.ensure_future(self.listen(ws)))

        for i in range(0, len(targets), 50):  # in waves, as phones arriving at a venue would
            await asyncio.gather(*(one(u, h) for u, h in targets[i : i + 50]))
        return len(self.sockets), self.failed

    async def listen(self, ws) -> None:
        try:
            async for raw in ws:
                now = time.monotonic()
                key = self.key(raw)
                if key is not None:
                    self.received.setdefault(key, []).append(now)
        except Exception:  # closed at the end of the run
            return

    async def close(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        for task in self.tasks:
            task.cancel()


def clients_process(conn, kind: str) -> None:
    async def serve() -> None:
        clients = Clients(key_echo if kind == "echo" else key_live)
        loop = asyncio.get_running_loop()
        while True:
            command, argument = await loop.run_in_executor(None, conn.recv)
            if command == "connect":
                conn.send(await clients.connect(argument))
            elif command == "collect":
                conn.send(clients.received)
            else:
                await clients.close()
                conn.send(None)
                return

    asyncio.run(serve())


class Remote:
    """The parent's handle on the clients' process."""

    def __init__(self, kind: str) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=clients_process, args=(child, kind), daemon=True)
        self.proc.start()

    async def call(self, command: str, argument=None):
        self.conn.send((command, argument))
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)

    def stop(self) -> None:
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()


async def drive(remote: Remote, act, clients: int, rate: float, seconds: float) -> dict:
    actions: dict[object, tuple[float, float]] = {}
    http: list[float] = []
    failures = 0

    async def fire(k: int) -> None:
        nonlocal failures
        key, t_req, t_resp, ok = await act(k)
        if not ok:
            failures += 1
            return
        actions[key] = (t_req, t_resp)
        http.append(t_resp - t_req)

    start = time.monotonic()
    pending = []
    total = int(rate * seconds)
    for k in range(total):
        await asyncio.sleep(max(0.0, start + k / rate - time.monotonic()))
        pending.append(asyncio.ensure_future(fire(k)))
    await asyncio.gather(*pending)
    elapsed = time.monotonic() - start
    await asyncio.sleep(2.0)  # let the last pushes arrive
    received = await remote.call("collect")
    from_request, from_response = [], []
    for key, (t_req, t_resp) in actions.items():
        for t in received.get(key, []):
            from_request.append(t - t_req)
            from_response.append(max(0.0, t - t_resp))
    delivered = len(from_request)
    return {
        "actions": total,
        "failed": failures,
        "clients": clients,
        "delivered": delivered,
        "lost": len(actions) * clients - delivered,
        "msgs_per_s": delivered / elapsed,
        "http_p50": pct(http, 50) * 1000,
        "http_p99": pct(http, 99) * 1000,
        "req_p50": pct(from_request, 50) * 1000,
        "req_p99": pct(from_request, 99) * 1000,
        "resp_p50": pct(from_response, 50) * 1000,
        "resp_p99": pct(from_response, 99) * 1000,
    }


def start_servers(count: int, module: str) -> list:
    from tests.servers import DaphneServer

    servers = [DaphneServer(env=dict(os.environ, PYTHONPATH=str(BASE))) for _ in range(count)]
    for server in servers:
        _start(server, module)
    return servers


def _start(server, module: str) -> None:
    import subprocess

    cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(server.port), module]
    server.proc = subprocess.Popen(cmd, cwd=BASE, env=server.env, stdout=server._log, stderr=subprocess.STDOUT)
    from tests.servers import port_answers

    deadline = time.monotonic() + 60
    while not port_answers(server.port):
        if server.proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(server.log())
        time.sleep(0.05)


async def measure(kind: str, servers, args, organiser: str, tokens: list[str], sessions: list[int]) -> dict:
    import httpx

    http = httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64))
    first = servers[0]
    await http.get(first.url + "/api/v1/events")  # warm up Django before measuring memory
    base_rss = [rss(s.proc.pid) for s in servers]

    def targets(n: int, offset: int) -> list[tuple[str, dict]]:
        out = []
        for i in range(offset, offset + n):
            server = servers[i % len(servers)]
            headers = {"Origin": server.origin}
            if kind == "echo":
                out.append((server.ws_url + "/ws/bench/echo/", headers))
            elif i % 10 == 0:
                out.append(
                    (server.ws_url + f"/ws/events/{SLUG}/control/", {**headers, "Authorization": f"Bearer {organiser}"})
                )
            elif i % 10 in (1, 2, 3):
                out.append((server.ws_url + f"/ws/events/{SLUG}/screen/", headers))
            else:
                token = tokens[i % len(tokens)]
                out.append((server.ws_url + "/ws/me/day/", {**headers, "Authorization": f"Bearer {token}"}))
        return out

    if kind == "echo":

        async def act(k: int):
            t0 = time.monotonic()
            r = await http.post(f"{first.url}/bench/poke?k={k}")
            return k, t0, time.monotonic(), r.status_code == 200

    else:

        async def act(k: int):
            session_id = sessions[k % len(sessions)]
            t0 = time.monotonic()
            r = await http.post(
                f"{first.url}/api/v1/sessions/{session_id}/delay",
                json={"minutes": 1},
                headers={"Authorization": f"Bearer {organiser}"},
            )
            t1 = time.monotonic()
            if r.status_code != 200:
                return None, t0, t1, False
            return (session_id, r.json()["revision"]), t0, t1, True

    for k in range(-len(sessions), 0):  # warm every path up; these actions are not measured
        await act(k)
    remote = Remote(kind)
    try:
        started = time.monotonic()
        connected, failed = await remote.call("connect", targets(args.clients, 0))
        connect_s = time.monotonic() - started
        result = await drive(remote, act, connected, args.rate, args.seconds)
        result["connect_s"] = connect_s
        result["connect_failed"] = failed
        total, failed = await remote.call("connect", targets(args.max_clients - args.clients, args.clients))
        await asyncio.sleep(1.0)
        result["max_clients"] = total
        result["connect_failed"] = failed
        result["rss_mb"] = [rss(s.proc.pid) / 2**20 for s in servers]
        result["kb_per_conn"] = [
            (rss(s.proc.pid) - b) / 1024 / (total / len(servers)) for s, b in zip(servers, base_rss, strict=True)
        ]
        await remote.call("close")
    finally:
        remote.stop()
        await http.aclose()
    return result


def show(label: str, r: dict) -> None:
    print(
        f"{label:5} clients {r['clients']:5}  actions {r['actions']} (failed {r['failed']})  "
        f"delivered {r['delivered']} (lost {r['lost']})  {r['msgs_per_s']:8.0f} msg/s\n"
        f"      HTTP action p50 {r['http_p50']:7.1f} ms  p99 {r['http_p99']:7.1f} ms\n"
        f"      request->client p50 {r['req_p50']:7.1f} ms  p99 {r['req_p99']:7.1f} ms   "
        f"response->client p50 {r['resp_p50']:6.1f} ms  p99 {r['resp_p99']:6.1f} ms\n"
        f"      connect {r['clients']} clients: {r['connect_s']:.1f} s ({r['connect_failed']} failed);  "
        f"at {r['max_clients']} clients: "
        + ", ".join(f"RSS {m:.0f} MB ({k:.1f} kB/conn)" for m, k in zip(r["rss_mb"], r["kb_per_conn"], strict=True))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--max-clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    args.max_clients = max(args.max_clients, args.clients)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.max_clients + 256)), hard))

    workers = 2 if os.environ.get("REDIS_URL") else 1
    organiser, tokens, sessions = seed(attendees=max(100, args.max_clients))
    layer = "Redis" if workers == 2 else "in-memory"
    print(f"{workers} Daphne worker(s), {layer} channel layer, {os.cpu_count()} CPUs; "
          f"{args.rate:g} actions/s for {args.seconds:g} s")  # fmt: skip
    results = {}
    for kind in ("echo", "live"):
        servers = start_servers(workers, "bench.realtime_asgi:application")
        try:
            results[kind] = asyncio.run(measure(kind, servers, args, organiser, tokens, sessions))
        finally:
            for server in servers:
                server.close()
        show(kind, results[kind])
    live = results["live"]
    print(
        f"targets (set for 20/s, 500 clients, 1,000 connected): p99 request->client < 100 ms at {args.rate:g}/s "
        f"with {live['clients']} clients: "
        f"{'met' if live['req_p99'] < 100 else 'MISSED'} ({live['req_p99']:.1f} ms); "
        f"< 300 MB per worker at {live['max_clients']} clients: "
        f"{'met' if max(live['rss_mb']) < 300 else 'MISSED'} ({max(live['rss_mb']):.0f} MB)"
    )


if __name__ == "__main__":
    main()
