"""Time the live-count snapshot the door publishes (`checkin.selectors.counts_snapshot`).

    .venv/bin/python bench/checkin_counts.py                          # SQLite file, 2,000 tickets, 10 sessions
    .venv/bin/python bench/checkin_counts.py --tickets 2000 --sessions 10 --runs 300
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_counts .venv/bin/python bench/checkin_counts.py

Seeds its own database (var/bench-counts.sqlite3, recreated each run, or the DATABASE_URL given,
which it migrates and fills): a live job fair with `--tickets` tickets, three quarters of them
arrived through four gates over two hours, two thirds of those inside now, and `--sessions`
sessions with 40 % of the arrivals checked in to each (half of those still inside). Then it calls
`counts_snapshot` `--runs` times (after a warm-up) and prints the queries one call makes and the
time per call (median, p90, p99). During a busy door the snapshot runs at most once per
`CHECKIN_COUNTS_INTERVAL` per event and process, so this is what the coalescing bounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
# As in bench/checkin.py: the project root, not this folder, comes first on sys.path.
sys.path[0] = str(BASE)

from bench.database import environment, fresh_database  # noqa: E402

environment("counts")


def seed(tickets: int, sessions: int) -> tuple:
    fresh_database()
    from datetime import timedelta

    from django.utils import timezone

    from checkin.models import SessionAttendance, Ticket
    from events.models import Event, Registration, Session, User

    Event.objects.filter(slug="bench-counts").delete()
    User.objects.filter(email__startswith="bench-counts-").delete()
    now = timezone.now()
    event = Event.objects.create(
        slug="bench-counts", title="Bench counts", kind=Event.Kind.JOB_FAIR, status=Event.Status.LIVE,
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=6),
    )  # fmt: skip
    users = User.objects.bulk_create(
        [User(email=f"bench-counts-{i}@example.org", full_name=f"Attendee {i}") for i in range(tickets)]
    )
    roles = [Registration.Role.CANDIDATE] * 6 + [Registration.Role.EMPLOYER] * 3 + [Registration.Role.OFFICIAL]
    registrations = Registration.objects.bulk_create(
        [Registration(event=event, user=u, role=roles[i % len(roles)]) for i, u in enumerate(users)]
    )
    rows = []
    for i, registration in enumerate(registrations):
        arrived = i % 4 != 0
        rows.append(
            Ticket(
                registration=registration, event=event, code=f"BC{i:010d}",
                inside=arrived and i % 3 != 0,
                first_in_at=now - timedelta(seconds=(i * 7200) // tickets) if arrived else None,
                first_in_gate=f"Gate {i % 4}" if arrived else "",
            )
        )  # fmt: skip
    made = Ticket.objects.bulk_create(rows, batch_size=500)
    arrived_tickets = [t for t in made if t.first_in_at is not None]
    attendance = []
    for s in range(sessions):
        session = Session.objects.create(
            event=event, title=f"Session {s}", starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=1)
        )
        for n, ticket in enumerate(arrived_tickets):
            if (n + s) % 5 < 2:
                attendance.append(
                    SessionAttendance(
                        ticket=ticket, session=session, inside=n % 2 == 0, first_in_at=now, first_in_gate=""
                    )
                )
    SessionAttendance.objects.bulk_create(attendance, batch_size=1000)
    return event, len(arrived_tickets), len(attendance)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    event, arrived, attendance = seed(args.tickets, args.sessions)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from checkin.selectors import counts_snapshot

    for _ in range(20):
        counts_snapshot(event=event)
    with CaptureQueriesContext(connection) as captured:
        data = counts_snapshot(event=event)
    from django.db.models import Count, Q

    from checkin.models import SessionAttendance

    def per_session() -> list:
        # The per-session attendance query counts_snapshot makes, alone.
        return list(
            SessionAttendance.objects.filter(session__event=event)
            .values("session_id")
            .annotate(present=Count("id", filter=Q(inside=True)), arrived=Count("id"))
            .order_by()
        )

    times, session_times = [], []
    for _ in range(args.runs):
        # Interleaved, so a change in the machine's load hits both figures alike.
        started = time.perf_counter()
        counts_snapshot(event=event)
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        per_session()
        session_times.append((time.perf_counter() - started) * 1000)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    print(
        f"{connection.vendor}: {args.tickets} tickets ({arrived} arrived, {data['present']} present), "
        f"{args.sessions} sessions ({attendance} session check-ins); {len(captured)} queries per snapshot"
    )
    print(
        f"counts_snapshot over {args.runs} runs: median {statistics.median(times):.2f} ms, "
        f"p90 {pick(0.9):.2f} ms, p99 {pick(0.99):.2f} ms; "
        f"the per-session attendance query alone: median {statistics.median(session_times):.2f} ms"
    )


if __name__ == "__main__":
    main()
