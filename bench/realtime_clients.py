"""The WebSocket clients of bench/realtime.py, in processes of their own.

Each process holds a share of the sockets and records, per socket, when each message that answers an
action arrived. The parent tells it what to do over a pipe: connect sockets, collect what was
recorded (and forget it), close.

Clients are kept lean so that they measure the server, not themselves: the `websockets` library's
asyncio client with compression off and no client pings, and no JSON parsing of the frequent
messages (a regular expression finds a session change's id and revision). The rare ones (coalesced
check-in counts, employer boards) are parsed. Receipt times are `time.monotonic()`, one clock for
every process on Linux, so they compare directly with the driver's request and response times.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

_SESSION = '{"type":"session.changed"'
_COUNTS = '{"type":"checkin.counts"'
_ARRIVAL = '{"type":"checkin.arrival"'
_SCAN = re.compile(r'"scan":(\d+)')
_BOARD = '{"type":"board.changed"'
_ID = re.compile(r'"id":(\d+)')
_REVISION = re.compile(r'"revision":(\d+)')
_CANDIDATE = re.compile(r'"candidate_id":(\d+)')
_K = re.compile(r'"k":\s*(\d+)')


class Recorder:
    """What one process's sockets received, by kind of socket."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        # (session id, revision) or echo k -> receipt times, one per socket that got it
        self.keyed: dict[Any, list[float]] = {}
        # per control-room socket: [(receipt time, arrivals in the counts)]
        self.counts: list[list[tuple[float, int]]] = []
        # per control-room socket: {scan id: receipt time of its checkin.arrival}
        self.arrivals: list[dict[int, float]] = []
        # per employer-board socket: {candidate id: first receipt time}
        self.boards: list[dict[int, float]] = []

    def snapshot(self) -> dict[str, Any]:
        data = {"keyed": self.keyed, "counts": self.counts, "arrivals": self.arrivals, "boards": self.boards}
        self.keyed = {}
        self.counts = [[] for _ in self.counts]
        self.arrivals = [{} for _ in self.arrivals]
        self.boards = [{} for _ in self.boards]
        return data


async def _listen(ws: Any, kind: str, rec: Recorder) -> None:
    # rec.keyed is replaced on every collect: look it up per message.
    try:
        if kind == "echo":
            async for raw in ws:
                now = time.monotonic()
                m = _K.search(raw)
                if m:
                    rec.keyed.setdefault(int(m.group(1)), []).append(now)
        elif kind == "control":
            slot = len(rec.counts)
            rec.counts.append([])
            rec.arrivals.append({})
            async for raw in ws:
                now = time.monotonic()
                if raw.startswith(_SESSION):
                    key = (int(_ID.search(raw).group(1)), int(_REVISION.search(raw).group(1)))
                    rec.keyed.setdefault(key, []).append(now)
                elif raw.startswith(_ARRIVAL):
                    rec.arrivals[slot].setdefault(int(_SCAN.search(raw).group(1)), now)
                elif raw.startswith(_COUNTS):
                    rec.counts[slot].append((now, int(json.loads(raw)["data"]["arrived"])))
        elif kind == "board":
            slot = len(rec.boards)
            rec.boards.append({})
            async for raw in ws:
                now = time.monotonic()
                if raw.startswith(_BOARD):
                    seen = rec.boards[slot]
                    for m in _CANDIDATE.finditer(raw):
                        seen.setdefault(int(m.group(1)), now)
        else:  # lobby screen, My day
            async for raw in ws:
                now = time.monotonic()
                if raw.startswith(_SESSION):
                    key = (int(_ID.search(raw).group(1)), int(_REVISION.search(raw).group(1)))
                    rec.keyed.setdefault(key, []).append(now)
    except Exception:  # closed at the end of the run
        return


async def _serve(conn: Any) -> None:
    from websockets.asyncio.client import connect

    rec = Recorder()
    sockets: list[Any] = []
    tasks: list[asyncio.Task] = []
    loop = asyncio.get_running_loop()

    async def one(url: str, headers: dict[str, str], kind: str) -> bool:
        try:
            ws = await connect(
                url,
                additional_headers=headers,
                compression=None,
                ping_interval=None,
                max_queue=None,
                max_size=2**22,
                open_timeout=60,
            )
            hello = await ws.recv()
        except Exception:
            return False
        if '"hello"' not in hello:
            await ws.close()
            return False
        sockets.append(ws)
        tasks.append(asyncio.ensure_future(_listen(ws, kind, rec)))
        return True

    while True:
        command, argument = await loop.run_in_executor(None, conn.recv)
        if command == "connect":
            failed = 0
            for i in range(0, len(argument), 50):  # in waves, as phones arriving at a venue would
                results = await asyncio.gather(*(one(*target) for target in argument[i : i + 50]))
                failed += results.count(False)
            conn.send((len(sockets), failed))
        elif command == "collect":
            conn.send(rec.snapshot())
        else:
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
            for task in tasks:
                task.cancel()
            conn.send(None)
            return


def _main(conn: Any) -> None:
    asyncio.run(_serve(conn))


class ClientProcess:
    """The parent's handle on one clients' process."""

    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_main, args=(child,), daemon=True)
        self.proc.start()

    async def call(self, command: str, argument: Any = None) -> Any:
        self.conn.send((command, argument))
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)

    def stop(self) -> None:
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
