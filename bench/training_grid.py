"""Time the trainers' attendance grid page (`/checkin/<event>/training/`) against the totals report.

    .venv/bin/python bench/training_grid.py                               # 25 trainees × 120 sessions
    .venv/bin/python bench/training_grid.py --trainees 25 --sessions 120 --runs 30

Seeds its own database (var/bench-training.sqlite3, recreated each run, or the DATABASE_URL given):
a training with `--trainees` trainees and `--sessions` sessions over five months, two thirds of them
held; each trainee checked in to about 80 % of the held sessions (a fifth of those late), some by the
event's door rather than the session's, and a trainer's correction for every tenth trainee.
Then it renders, as an organiser through Django's test client, the grid page and the existing
attendance totals page (`/checkin/<event>/attendance/`, the baseline) `--runs` times each after a
warm-up, alternating, and prints the median time of each, their ratio and the queries per page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE)

from bench.database import environment, fresh_database  # noqa: E402

environment("training")


def seed(trainees: int, sessions: int) -> tuple:
    fresh_database()
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from checkin.models import AttendanceMark, Scan, SessionAttendance, Ticket
    from events.models import Event, Registration, Session, User

    rng = random.Random(14)
    now = timezone.now()
    start = now - timedelta(days=100)
    event = Event.objects.create(
        slug="bench-training", title="Bench training", kind=Event.Kind.TRAINING, status=Event.Status.LIVE,
        timezone="Asia/Baghdad", starts_at=start, ends_at=start + timedelta(days=150),
    )  # fmt: skip
    organiser = User.objects.create(email="bench-organiser@example.org", is_staff=True, full_name="Organiser")
    modules = ["Python", "Web", "Data", "Cloud", "Security", "Career"]
    rows = []
    for i in range(sessions):
        at = start + timedelta(days=150 * i / sessions, hours=13)
        rows.append(
            Session(
                event=event,
                title=f"Session {i + 1}",
                kind=Session.Kind.TRAINING,
                track=modules[i * 6 // sessions],
                starts_at=at,
                ends_at=at + timedelta(hours=3),
            )
        )
    session_rows = Session.objects.bulk_create(rows)
    held = [s for s in session_rows if s.starts_at <= now]
    users = User.objects.bulk_create(
        [User(email=f"bench-trainee-{i}@example.org", full_name=f"Trainee {i}") for i in range(trainees)]
    )
    registrations = Registration.objects.bulk_create([Registration(event=event, user=u) for u in users])
    tickets = Ticket.objects.bulk_create(
        [Ticket(registration=r, event=event, code=secrets.token_hex(8)) for r in registrations]
    )
    attendance, scans, marks = [], [], []
    for n, (registration, ticket) in enumerate(zip(registrations, tickets, strict=True)):
        for session in held:
            if rng.random() > 0.8:
                continue
            at = session.starts_at + timedelta(minutes=rng.choice([-5, 0, 2, 5, 20]))
            if rng.random() < 0.8:
                attendance.append(SessionAttendance(ticket=ticket, session=session, first_in_at=at))
            else:
                scans.append(
                    Scan(event=event, ticket=ticket, result=Scan.Result.OK, scanned_at=at, created_at=at, gate="Door")
                )
        if n % 10 == 0:
            marks.append(
                AttendanceMark(
                    registration=registration,
                    session=held[0],
                    old="absent",
                    new="excused",
                    reason="bench",
                    by=organiser,
                )
            )
    SessionAttendance.objects.bulk_create(attendance)
    Scan.objects.bulk_create(scans)
    AttendanceMark.objects.bulk_create(marks)
    return event, organiser, len(held)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=25)
    parser.add_argument("--sessions", type=int, default=120)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    event, organiser, held = seed(args.trainees, args.sessions)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(organiser)
    pages = {
        "grid": f"/checkin/{event.slug}/training/",
        "totals (baseline)": f"/checkin/{event.slug}/attendance/",
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    queries = {}
    for name, path in pages.items():  # warm-up, and the query count
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries[name] = len(captured)
    for _ in range(args.runs):
        for name, path in pages.items():
            began = time.perf_counter()
            client.get(path)
            times[name].append((time.perf_counter() - began) * 1000)
    print(f"{args.trainees} trainees × {args.sessions} sessions ({held} held), {args.runs} runs each")
    for name in pages:
        print(f"  {name:18} median {statistics.median(times[name]):7.1f} ms  {queries[name]:3d} queries")
    ratio = statistics.median(times["grid"]) / statistics.median(times["totals (baseline)"])
    print(f"  grid / baseline    {ratio:.2f}×")


if __name__ == "__main__":
    main()
