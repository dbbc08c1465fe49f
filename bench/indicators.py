"""Time a programme's indicators page (`/programmes/<slug>/indicators`) and API against the training grid.

    .venv/bin/python bench/indicators.py                       # 5,000 registrations, 30 runs
    .venv/bin/python bench/indicators.py --registrations 5000 --trainees 25 --sessions 120 --runs 30

Seeds its own database (var/bench-indicators.sqlite3, recreated each run, or the DATABASE_URL given):
a programme of `--registrations` registrations over three events: a training of `--trainees`
trainees and `--sessions` sessions over five months, two thirds held, each trainee at about 80 % of
them; a dialogue with 75 officials; a job fair with the rest as candidates, 60 employers, meetings
for a third of the candidates (most took place) and leads for a tenth; 40 stakeholders, half
reached; 30 action items. Then it renders, as an organiser through Django's test client, the
indicators page, the API's indicators and the training's grid page (the baseline: the indicators
read the same grid) `--runs` times each after a warm-up, alternating, and prints the median of
each, the ratio of the page to the baseline and the queries per request.
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

environment("indicators")

OFFICIALS = 75


def seed(registrations: int, trainees: int, sessions: int) -> tuple:
    fresh_database()
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from checkin.models import SessionAttendance, Ticket
    from events.models import (
        ActionItem,
        Event,
        Interaction,
        Organisation,
        Programme,
        Registration,
        Session,
        Stakeholder,
        User,
    )
    from matching.models import Lead, Meeting

    rng = random.Random(14)
    now = timezone.now()
    programme = Programme.objects.create(slug="bench-programme", name="Bench programme")
    organiser = User.objects.create(email="bench-organiser@example.org", is_staff=True, full_name="Organiser")
    start = now - timedelta(days=100)
    training = Event.objects.create(
        slug="bench-training", title="Bench training", kind=Event.Kind.TRAINING, status=Event.Status.LIVE,
        timezone="Asia/Baghdad", starts_at=start, ends_at=start + timedelta(days=150), programme=programme,
    )  # fmt: skip
    fair_day = now - timedelta(days=20)
    fair = Event.objects.create(
        slug="bench-fair", title="Bench fair", kind=Event.Kind.JOB_FAIR, status=Event.Status.CLOSED,
        timezone="Asia/Baghdad", starts_at=fair_day, ends_at=fair_day + timedelta(hours=8), programme=programme,
    )  # fmt: skip
    dialogue = Event.objects.create(
        slug="bench-dialogue", title="Bench dialogue", kind=Event.Kind.DIALOGUE, status=Event.Status.CLOSED,
        timezone="Europe/Vilnius", starts_at=fair_day, ends_at=fair_day + timedelta(hours=8), programme=programme,
    )  # fmt: skip
    session_rows = Session.objects.bulk_create(
        [
            Session(
                event=training,
                title=f"Session {i + 1}",
                kind=Session.Kind.TRAINING,
                track=["Python", "Web", "Data", "Cloud", "Security", "Career"][i * 6 // sessions],
                starts_at=start + timedelta(days=150 * i / sessions, hours=13),
                ends_at=start + timedelta(days=150 * i / sessions, hours=16),
            )
            for i in range(sessions)
        ]
    )
    held = [s for s in session_rows if s.starts_at <= now]
    candidates = registrations - trainees - OFFICIALS
    users = User.objects.bulk_create(
        [User(email=f"bench-{i}@example.org", full_name=f"Person {i}") for i in range(registrations)]
    )
    trainee_users, official_users, fair_users = (
        users[:trainees],
        users[trainees : trainees + OFFICIALS],
        users[trainees + OFFICIALS :],
    )
    rows = [Registration(event=training, user=u) for u in trainee_users]
    rows += [Registration(event=dialogue, user=u, role=Registration.Role.OFFICIAL) for u in official_users]
    rows += [Registration(event=fair, user=u) for u in fair_users]
    created = Registration.objects.bulk_create(rows)
    tickets = Ticket.objects.bulk_create(
        [Ticket(registration=r, event=training, code=secrets.token_hex(8)) for r in created[:trainees]]
    )
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(ticket=t, session=s, first_in_at=s.starts_at + timedelta(minutes=rng.choice([0, 5, 20])))
            for t in tickets
            for s in held
            if rng.random() < 0.8
        ]
    )
    employers = Organisation.objects.bulk_create([Organisation(name=f"Employer {i}", country="LT") for i in range(60)])
    meetings, leads = [], []
    for n, user in enumerate(fair_users):
        if n % 3 == 0:
            status = Meeting.Status.CONFIRMED if rng.random() < 0.8 else Meeting.Status.NO_SHOW
            at = fair_day + timedelta(minutes=15 * (n // 3 % 28))
            meetings.append(
                Meeting(event=fair, organisation=employers[n % 60], candidate=user, slot=n // 3 % 28,
                        table=n // 180 + 1, starts_at=at, ends_at=at + timedelta(minutes=15), status=status)
            )  # fmt: skip
        if n % 10 == 0:
            leads.append(Lead(event=fair, organisation=employers[(n + 7) % 60], candidate=user))
    Meeting.objects.bulk_create(meetings)
    Lead.objects.bulk_create(leads)
    kinds = [value for value, _label in Stakeholder.Kind.choices]
    stakeholders = Stakeholder.objects.bulk_create(
        [Stakeholder(programme=programme, name=f"Stakeholder {i}", kind=kinds[i % len(kinds)], country="IQ")
         for i in range(40)]
    )  # fmt: skip
    Interaction.objects.bulk_create(
        [Interaction(stakeholder=s, kind="meeting", happened_on=now.date()) for s in stakeholders[::2]]
    )
    statuses = ["proposed", "agreed", "in_progress", "done", "done"]
    ActionItem.objects.bulk_create(
        [ActionItem(programme=programme, title=f"Item {i}", status=statuses[i % 5]) for i in range(30)]
    )
    return programme, training, organiser, len(held), candidates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=5000)
    parser.add_argument("--trainees", type=int, default=25)
    parser.add_argument("--sessions", type=int, default=120)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    programme, training, organiser, held, candidates = seed(args.registrations, args.trainees, args.sessions)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(organiser)
    pages = {
        "indicators page": f"/programmes/{programme.slug}/indicators",
        "indicators API": f"/api/v1/programmes/{programme.slug}/indicators",
        "grid (baseline)": f"/checkin/{training.slug}/training/",
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
    print(
        f"{args.registrations} registrations: {args.trainees} trainees × {args.sessions} sessions ({held} held), "
        f"{OFFICIALS} officials, {candidates} fair candidates; {args.runs} runs each"
    )
    for name in pages:
        print(f"  {name:18} median {statistics.median(times[name]):7.1f} ms  {queries[name]:3d} queries")
    ratio = statistics.median(times["indicators page"]) / statistics.median(times["grid (baseline)"])
    print(f"  page / baseline    {ratio:.2f}×")


if __name__ == "__main__":
    main()
