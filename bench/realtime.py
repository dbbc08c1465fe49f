"""Benchmark live updates end to end against real Daphne workers, beside a bare echo consumer.

    .venv/bin/python bench/realtime.py                      # 500 clients, 20 actions/s, one worker
    .venv/bin/python bench/realtime.py --clients 500 --max-clients 1000 --rate 20 --seconds 10 \\
        --session-share 0.2 --client-procs 1
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/realtime.py   # two workers on Redis

Seeds its own database (var/bench-realtime.sqlite3, recreated each run, or the DATABASE_URL given):
a live job fair with public sessions in two rooms, an organiser, ten employers with two openings
each and ten representatives, candidates with skill profiles who share them with employers, every
attendee's ticket and four paired door phones. Then, on fresh Daphne processes for each (two on
Redis when REDIS_URL is set: clients and actions alternate between them, as behind a balancer):

echo  a bare echo consumer (bench/realtime_asgi.py: no auth, no database, one group) gets `--rate`
      group sends a second through a trivial HTTP endpoint; every action reaches every client.
live  `--clients` WebSocket clients of the platform, in the ratio 2 : 6 : 1 : 1: lobby screens
      (anonymous), attendees' "My day" (bearer tokens), organisers' control rooms, employers'
      boards. Two runs on the same sockets:
      mix    `--rate` actions a second, `--session-share` of them (default 0.2) session changes
             through the live API (delay, move to the other room, start, in turn: the full
             service with its transaction, revision bump, calendar hook and publish), the rest
             door scans of a fresh ticket with a device token (`POST /api/v1/checkin/scan`: the
             check-in with its audit row, coalesced counts and the matching engine's hook);
      worst  every action a session change: it reaches every screen, phone and control room
             (employer boards carry no session changes), the same fan-out as the echo run.

Actions are sent open loop on a fixed schedule. For each the bench prints, per kind of message,
the time from the action's HTTP response (and from its request) to each client's receipt, p50 and
p99, messages delivered and lost, and messages per second:

- `session.changed` (screens, phones, control rooms): keyed by session id and revision.
- door counts (control rooms): each successful scan sends its own `checkin.arrival` at once, and
  `checkin.counts` follows coalesced (one message may answer many scans). A scan counts as
  delivered to a control room by its `checkin.arrival` there (matched by scan id) or by the first
  counts message there whose `arrived` is at least the event's arrivals once this scan's response
  came back (the scans answered before it, plus the arrivals before the run), whichever came first.
- `board.changed` (employer boards): a candidate's scan reaches an employer's board when a board
  message there first lists that candidate. Only employers whose top lists change hear of an
  arrival, so there is no "lost" for boards, only how many arrivals reached some board.

Then it connects more clients up to `--max-clients` and prints each worker's memory and memory per
connection (resident set growth over the warmed-up worker). While actions run it reads the CPU time
of each Daphne worker, of the client processes and of itself from /proc/<pid>/stat, so a run says
which side was saturated; it prints the machine's load average too: the machine is shared.

`--counts-interval` sets the check-in counts' coalescing interval (`CHECKIN_COUNTS_INTERVAL`,
0.5 s by default) in the bench's workers only, through bench/realtime_asgi.py.

Targets (issue 6, this 2-core machine): 1,000 clients on one worker; p99 under 100 ms from action
to screen at 20 actions/s with 500 clients; under 300 MB for the worker with 1,000 clients.
Measured on that machine with nothing else running (load about 1), 3 runs, p99 from the
response: one worker, mix: everything 9.7-11.5 ms (session changes 9-11, door counts 2-3, boards
41-51 ms; 79-84 ms from the request); worst case 6-11 ms, 9,000 pushes/s; 212 MB at 1,000
clients. Two workers on Redis (one run): mix 62 ms, worst case 63 ms. Details: docs/realtime.md, "Measured".
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE)  # bench/calendar.py must not shadow the standard library's calendar
from bench.database import environment  # noqa: E402

environment("realtime", served=True)
os.environ.setdefault("CHANNEL_PREFIX", f"bench{os.getpid()}")
os.environ.setdefault("CACHE_PREFIX", f"bench{os.getpid()}")
os.environ.setdefault("Q_SYNC", "0")  # calendar work is queued for a qcluster, as in production

from bench.realtime_clients import ClientProcess  # noqa: E402
from bench.realtime_seed import EMPLOYERS, GATES, MOVABLE, REPRESENTATIVES, SLUG, Fair, seed  # noqa: E402

ASGI = "bench.realtime_asgi:application"


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


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_servers(count: int, counts_interval: float | None) -> list[Any]:
    import subprocess

    from tests.servers import DaphneServer, port_answers

    env = dict(os.environ, PYTHONPATH=str(BASE))
    if counts_interval is not None:
        env["BENCH_CHECKIN_COUNTS_INTERVAL"] = str(counts_interval)
    servers = [DaphneServer(env=env) for _ in range(count)]
    for server in servers:
        cmd = [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(server.port),
            "bench.realtime_asgi:application",
        ]
        server.proc = subprocess.Popen(cmd, cwd=BASE, env=env, stdout=server._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not port_answers(server.port):
            if server.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(server.log())
            time.sleep(0.05)
    return servers


class Clients:
    """The client processes, each with its share of the sockets."""

    def __init__(self, procs: int) -> None:
        self.procs = [ClientProcess() for _ in range(procs)]
        self.kinds: dict[str, int] = {}

    async def connect(self, targets: list[tuple[str, dict[str, str], str]]) -> tuple[int, int]:
        for _url, _headers, kind in targets:
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
        shares = [targets[i :: len(self.procs)] for i in range(len(self.procs))]
        results = await asyncio.gather(*(p.call("connect", share) for p, share in zip(self.procs, shares, strict=True)))
        return sum(r[0] for r in results), sum(r[1] for r in results)

    async def collect(self) -> dict[str, Any]:
        merged: dict[str, Any] = {"keyed": {}, "counts": [], "arrivals": [], "boards": []}
        for part in await asyncio.gather(*(p.call("collect") for p in self.procs)):
            for key, times in part["keyed"].items():
                merged["keyed"].setdefault(key, []).extend(times)
            merged["counts"] += part["counts"]
            merged["arrivals"] += part["arrivals"]
            merged["boards"] += part["boards"]
        return merged

    async def close(self) -> None:
        await asyncio.gather(*(p.call("close") for p in self.procs))

    def stop(self) -> None:
        for p in self.procs:
            p.stop()

    def pids(self) -> list[int]:
        return [p.proc.pid for p in self.procs]


class Latencies:
    """Receipt latencies of one kind of message: from the action's response and from its request."""

    def __init__(self) -> None:
        self.resp: list[float] = []
        self.req: list[float] = []
        self.expected = 0
        self.note = ""

    def add(self, t: float, t_req: float, t_resp: float) -> None:
        # A message can reach a client before the response reaches the driver (the publish leaves
        # at the commit); from the response that is no wait at all.
        self.resp.append(max(0.0, t - t_resp))
        self.req.append(t - t_req)

    def extend(self, other: Latencies) -> None:
        self.resp += other.resp
        self.req += other.req
        self.expected += other.expected


class Driver:
    """Sends the actions and turns what the clients received into latencies."""

    def __init__(self, http: Any, servers: list[Any], fair: Fair | None) -> None:
        self.http = http
        self.servers = servers
        self.fair = fair
        self.turn = 0
        self.session_turn = 0
        self.next_scan = 0
        self.arrivals = 0  # successful first scans so far: the event's `arrived`
        self.room_of: dict[int, int] = {}

    def url(self) -> str:
        self.turn += 1
        return self.servers[self.turn % len(self.servers)].url

    async def echo(self, k: int) -> tuple[str, Any, float, float, bool]:
        t0 = time.monotonic()
        r = await self.http.post(f"{self.url()}/bench/poke?k={k}")
        return "echo", k, t0, time.monotonic(), r.status_code == 200

    async def session_change(self) -> tuple[str, Any, float, float, bool]:
        fair = self.fair
        j = self.session_turn
        self.session_turn += 1
        kind = ("delay", "move", "start")[j % 3]
        headers = {"Authorization": f"Bearer {fair.organiser}"}
        if kind == "start" and fair.startable:
            session_id, body = fair.startable.pop(0), None
        else:
            session_id = fair.movable[(j // 3) % len(fair.movable)]
            if kind == "move":
                room = fair.rooms[1] if self.room_of.get(session_id, fair.rooms[0]) == fair.rooms[0] else fair.rooms[0]
                self.room_of[session_id] = room
                kind, body = "move", {"room_id": room}
            else:
                kind, body = "delay", {"minutes": 1}
        t0 = time.monotonic()
        r = await self.http.post(f"{self.url()}/api/v1/sessions/{session_id}/{kind}", json=body, headers=headers)
        t1 = time.monotonic()
        if r.status_code != 200:
            print(f"      {kind} {session_id}: HTTP {r.status_code} {r.text[:200]}")
            return "session", None, t0, t1, False
        return "session", (session_id, r.json()["revision"]), t0, t1, True

    async def scan(self) -> tuple[str, Any, float, float, bool]:
        fair = self.fair
        payload, candidate = fair.scans[self.next_scan]
        gate = self.next_scan % GATES
        self.next_scan += 1
        t0 = time.monotonic()
        r = await self.http.post(
            f"{self.url()}/api/v1/checkin/scan",
            json={"payload": payload, "event": SLUG, "gate": f"G{gate}"},
            headers={"Authorization": f"Bearer {fair.device_tokens[gate]}"},
        )
        t1 = time.monotonic()
        if r.status_code != 201:
            print(f"      scan: HTTP {r.status_code} {r.text[:200]}")
            return "scan", None, t0, t1, False
        return "scan", (candidate, r.json()["checkin"]["id"]), t0, t1, True

    async def run(self, clients: Clients, rate: float, seconds: float, share: float | None) -> dict[str, Any]:
        """Send `rate` actions a second for `seconds`; `share` of them session changes (None: echo)."""
        total = int(rate * seconds)
        done: list[tuple[str, Any, float, float, bool]] = []

        async def fire(k: int) -> None:
            if share is None:
                done.append(await self.echo(k))
            elif int((k + 1) * share) > int(k * share):  # spread evenly through the run
                done.append(await self.session_change())
            else:
                done.append(await self.scan())

        await clients.collect()  # forget what warming up left behind
        pids = [s.proc.pid for s in self.servers] + clients.pids() + [os.getpid()]
        cpu0 = [cpu_seconds(p) for p in pids]
        arrived_before = self.arrivals
        start = time.monotonic()
        pending = []
        for k in range(total):
            await asyncio.sleep(max(0.0, start + k / rate - time.monotonic()))
            pending.append(asyncio.ensure_future(fire(k)))
        await asyncio.gather(*pending)
        elapsed = time.monotonic() - start
        await asyncio.sleep(2.0)  # let the last pushes arrive
        # CPU over the run and its drain: what delivering this run's messages cost each process.
        busy = [cpu_seconds(p) - c for p, c in zip(pids, cpu0, strict=True)]
        cpu = [b / (time.monotonic() - start) * 100 for b in busy]
        received = await clients.collect()
        self.arrivals += sum(1 for kind, _key, _q, _r, ok in done if kind == "scan" and ok)
        result = self.score(done, received, clients.kinds, arrived_before)
        result.update(
            actions=total,
            failed=sum(1 for d in done if not d[4]),
            http=[t_resp - t_req for _kind, _key, t_req, t_resp, ok in done if ok],
            elapsed=elapsed,
            cpu_servers=cpu[: len(self.servers)],
            worker_cpu_s=sum(busy[: len(self.servers)]),
            cpu_clients=sum(cpu[len(self.servers) : -1]),
            cpu_driver=cpu[-1],
            load=os.getloadavg()[0],
        )
        return result

    def score(self, done: list, received: dict[str, Any], kinds: dict[str, int], arrived_before: int) -> dict:
        keyed = received["keyed"]
        session, echo, counts, board = Latencies(), Latencies(), Latencies(), Latencies()
        listeners = sum(kinds.get(k, 0) for k in ("screen", "day", "control"))
        scans = sorted((d for d in done if d[0] == "scan" and d[4]), key=lambda d: d[3])
        for kind, key, t_req, t_resp, ok in done:
            if not ok or kind == "scan":
                continue
            target = echo if kind == "echo" else session
            target.expected += kinds.get("echo", 0) if kind == "echo" else listeners
            for t in keyed.get(key, []):
                target.add(t, t_req, t_resp)
        # Counts: the scan's own checkin.arrival on each control room, or the first coalesced
        # counts message there that covers it, whichever came first (see the docstring).
        for messages, arrivals in zip(received["counts"], received["arrivals"], strict=True):
            times, covered, high = [], [], 0
            for t, arrived in messages:
                high = max(high, arrived)
                times.append(t)
                covered.append(high)
            for rank, (_kind, (_candidate, scan_id), t_req, t_resp, _ok) in enumerate(scans, start=1):
                counts.expected += 1
                i = bisect.bisect_left(covered, arrived_before + rank)
                seen = [t for t in (times[i] if i < len(times) else None, arrivals.get(scan_id)) if t is not None]
                if seen:
                    counts.add(min(seen), t_req, t_resp)
        reached = 0
        for _kind, (candidate, _scan_id), t_req, t_resp, _ok in scans:
            hit = False
            for seen in received["boards"]:
                t = seen.get(candidate) if candidate is not None else None
                if t is not None:
                    board.add(t, t_req, t_resp)
                    hit = True
            reached += hit
        board.note = f"{reached} of {sum(1 for s in scans if s[1][0] is not None)} candidates' arrivals reached a board"
        return {"echo": echo, "session": session, "counts": counts, "board": board, "scans": len(scans)}


def show_latency(label: str, lat: Latencies, elapsed: float, lost: bool = True) -> None:
    delivered = len(lat.resp)
    missing = f" (lost {lat.expected - delivered})" if lost else ""
    print(
        f"      {label:16} {delivered:6} msgs{missing:14} {delivered / elapsed:7.0f}/s   "
        f"response->client p50 {pct(lat.resp, 50) * 1000:7.1f} p99 {pct(lat.resp, 99) * 1000:7.1f} ms   "
        f"request->client p50 {pct(lat.req, 50) * 1000:7.1f} p99 {pct(lat.req, 99) * 1000:7.1f} ms"
        + (f"   [{lat.note}]" if lat.note else "")
    )


def show_run(label: str, r: dict[str, Any]) -> Latencies:
    cpu = " + ".join(f"{c:.0f}" for c in r["cpu_servers"])
    print(
        f"{label:6} {r['actions']} actions in {r['elapsed']:.1f} s (failed {r['failed']}); CPU % of one core: "
        f"workers {cpu}, clients {r['cpu_clients']:.0f}, driver {r['cpu_driver']:.0f}; load {r['load']:.1f}\n"
        f"      HTTP action p50 {pct(r['http'], 50) * 1000:.1f} ms, p99 {pct(r['http'], 99) * 1000:.1f} ms"
    )
    everything = Latencies()
    if r["echo"].expected:
        show_latency("echo", r["echo"], r["elapsed"])
        everything = r["echo"]
    if r["session"].expected:
        show_latency("session.changed", r["session"], r["elapsed"])
        everything.extend(r["session"])
    if r["scans"]:
        show_latency("door counts", r["counts"], r["elapsed"])
        show_latency("board.changed", r["board"], r["elapsed"], lost=False)
        everything.extend(r["counts"])
        everything.extend(r["board"])
    if not r["echo"].expected:
        show_latency("all", everything, r["elapsed"], lost=False)
    delivered = max(1, len(everything.resp))
    print(f"      worker CPU per delivered message: {r['worker_cpu_s'] / delivered * 1e6:.0f} µs")
    return everything


async def measure(kind: str, args: argparse.Namespace, fair: Fair, workers: int) -> dict[str, Any]:
    import httpx

    servers = start_servers(workers, args.counts_interval)
    http = httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64))
    clients = Clients(args.client_procs)
    driver = Driver(http, servers, fair if kind == "live" else None)
    out: dict[str, Any] = {}
    try:
        for server in servers:
            await http.get(server.url + "/api/v1/events")  # warm Django up before measuring memory
        base_rss = [rss(s.proc.pid) for s in servers]

        def targets(n: int, offset: int) -> list[tuple[str, dict[str, str], str]]:
            out = []
            for i in range(offset, offset + n):
                server = servers[i % len(servers)]
                origin = {"Origin": server.origin}
                ws = server.ws_url
                if kind == "echo":
                    out.append((ws + "/ws/bench/echo/", origin, "echo"))
                elif i % 10 == 0:
                    auth = {**origin, "Authorization": f"Bearer {fair.organiser}"}
                    out.append((ws + f"/ws/events/{SLUG}/control/", auth, "control"))
                elif i % 10 == 1:
                    n = i // 10  # boards spread over the employers, then over their representatives
                    token = fair.employer_tokens[(n % EMPLOYERS) * REPRESENTATIVES + n // EMPLOYERS % REPRESENTATIVES]
                    auth = {**origin, "Authorization": f"Bearer {token}"}
                    out.append((ws + f"/ws/matching/{SLUG}/board/", auth, "board"))
                elif i % 10 in (2, 3):
                    out.append((ws + f"/ws/events/{SLUG}/screen/", origin, "screen"))
                else:
                    auth = {**origin, "Authorization": f"Bearer {fair.attendee_tokens[i % len(fair.attendee_tokens)]}"}
                    out.append((ws + "/ws/me/day/", auth, "day"))
            return out

        started = time.monotonic()
        connected, failed = await clients.connect(targets(args.clients, 0))
        out["connect"] = (connected, failed, time.monotonic() - started)
        if kind == "echo":
            for k in range(-5, 0):
                await driver.echo(k)
            out["echo"] = await driver.run(clients, args.rate, args.seconds, None)
        else:
            for _ in range(3):  # warm every path up (the board index loads on the first arrival)
                await driver.session_change()
                await driver.scan()
            driver.arrivals = 3
            out["mix"] = await driver.run(clients, args.rate, args.seconds, args.session_share)
            out["worst"] = await driver.run(clients, args.rate, args.seconds, 1.0)
        total, failed_more = await clients.connect(targets(args.max_clients - args.clients, args.clients))
        await asyncio.sleep(1.0)
        out["max_clients"] = total
        out["connect_failed"] = failed + failed_more
        out["rss_mb"] = [rss(s.proc.pid) / 2**20 for s in servers]
        out["kb_per_conn"] = [
            (rss(s.proc.pid) - b) / 1024 / (total / len(servers)) for s, b in zip(servers, base_rss, strict=True)
        ]
        await clients.close()
    finally:
        clients.stop()
        await http.aclose()
        for server in servers:
            server.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--max-clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=20.0, help="actions per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--session-share", type=float, default=0.2, help="share of session changes in the mix")
    parser.add_argument("--client-procs", type=int, default=1, help="processes the clients are spread over")
    parser.add_argument("--counts-interval", type=float, default=None, help="CHECKIN_COUNTS_INTERVAL for the bench")
    args = parser.parse_args()
    args.max_clients = max(args.max_clients, args.clients)
    args.session_share = min(1.0, max(0.0, args.session_share))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.max_clients + 256)), hard))

    workers = 2 if os.environ.get("REDIS_URL") else 1
    total = int(args.rate * args.seconds)
    fair = seed(people=max(args.max_clients, total + 100), sessions=MOVABLE + total // 3 + 10)
    layer = "Redis" if workers == 2 else "in-memory"
    print(
        f"{workers} Daphne worker(s), {layer} channel layer, {os.cpu_count()} CPUs, load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
        + f"; {args.clients} clients in {args.client_procs} process(es), {args.rate:g} actions/s for "
        f"{args.seconds:g} s, session share {args.session_share:g}, counts interval "
        f"{'default' if args.counts_interval is None else args.counts_interval}"
    )
    echo = asyncio.run(measure("echo", args, fair, workers))
    live = asyncio.run(measure("live", args, fair, workers))
    for label, out in (("echo", echo), ("live", live)):
        connected, failed, seconds = out["connect"]
        print(
            f"{label}: connected {connected} clients in {seconds:.1f} s ({failed} failed); at {out['max_clients']} "
            "clients: "
            + ", ".join(
                f"RSS {m:.0f} MB ({k:.1f} kB/conn)" for m, k in zip(out["rss_mb"], out["kb_per_conn"], strict=True)
            )
        )
    e = show_run("echo", echo["echo"])
    mix = show_run("mix", live["mix"])
    worst = show_run("worst", live["worst"])
    ratio_p99 = pct(worst.resp, 99) / pct(e.resp, 99)
    ratio_rate = len(worst.resp) / max(1, len(e.resp))
    print(
        f"worst case / echo: p99 response->client x{ratio_p99:.2f}, messages delivered x{ratio_rate:.2f} "
        f"(worst reaches {live['worst']['session'].expected // max(1, total)} of {args.clients} clients per action)"
    )
    p99 = pct(mix.resp, 99) * 1000
    memory = max(live["rss_mb"])
    print(
        f"targets: p99 action->screen < 100 ms at {args.rate:g}/s with {args.clients} clients: mix "
        f"{'met' if p99 < 100 else 'MISSED'} ({p99:.1f} ms), worst case "
        f"{'met' if pct(worst.resp, 99) < 0.1 else 'MISSED'} ({pct(worst.resp, 99) * 1000:.1f} ms); "
        f"< 300 MB per worker at {live['max_clients']} clients: "
        f"{'met' if memory < 300 else 'MISSED'} ({memory:.0f} MB); "
        f"load average now {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
