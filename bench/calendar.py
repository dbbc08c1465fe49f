"""Benchmark the calendar feeds: render time and the 304 path, against a baseline in the same run.

    .venv/bin/python bench/calendar.py            # 2,000-session event feed, 200-item personal feed
    .venv/bin/python bench/calendar.py --repeat 31

Uses its own SQLite file (var/bench-calendar.sqlite3, recreated each run) and Django's test client,
so the times include URL routing, middleware, the queries and the rendering, as a request would.
Baselines, measured in the same run on the same items:
  * icalendar: building and serialising the same VEVENTs as icalendar components (what a
    straightforward implementation does), without any database work;
  * trivial view: a request to a view that returns a constant, the floor of any request here.
Targets (issue 4): personal feed of 200 items < 30 ms, event feed of 2,000 sessions < 300 ms, 304 < 5 ms.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's folder would come first on sys.path and this module would shadow
# the standard library's `calendar`; put the project root there instead.
BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[0] = BASE

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.database import environment, fresh_database  # noqa: E402

# A SQLite file of its own, whatever DATABASE_URL says: the figures are for the embedded default.
os.environ["DATABASE_URL"] = f"sqlite:///{Path(BASE) / 'var' / 'bench-calendar.sqlite3'}"
environment("calendar")
os.environ.setdefault("SITE_URL", "https://events.example.org")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP; TLS is not what is measured


def median_ms(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds. Everything (SQLite included) runs in this thread, so
    CPU time is the work itself, while wall time also counts waiting for a core on a busy machine."""
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()

    fresh_database()

    import icalendar
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import path

    from events.calendar_items import event_feed_items, event_feed_sessions
    from events.calendar_personal import personal_feed_items
    from events.feeds import feed_token_for
    from events.ical import render_feed
    from events.models import Event, Registration, Room, Session, User

    start = datetime(2026, 3, 20, 6, 0, tzinfo=UTC)  # spans the Vilnius change on 29 March
    big = Event.objects.create(
        slug="big-fair",
        title="Big Job Fair",
        kind=Event.Kind.JOB_FAIR,
        timezone="Europe/Vilnius",
        starts_at=start,
        ends_at=start + timedelta(days=20),
        venue="Vilnius Tech Park",
        status=Event.Status.PUBLISHED,
    )
    rooms = [Room.objects.create(event=big, name=f"Room {i}") for i in range(20)]
    Session.objects.bulk_create(
        Session(
            event=big,
            title=f"Session {i}: Cloud skills, careers; and mobility",
            starts_at=start + timedelta(minutes=30 * (i // 20)),
            ends_at=start + timedelta(minutes=30 * (i // 20) + 25),
            room=rooms[i % 20],
            track=f"Track {i % 5}",
            speakers="Dr. Rasa Example, Ahmed Example",
            description="A practical session with examples from Vilnius and Baghdad employers. " * 2,
        )
        for i in range(args.sessions)
    )

    person = User.objects.create_user(email="bench@example.org", full_name="Bench Person")
    n_events = 10
    per_event = args.items // n_events - 1  # one event item plus its programme sessions
    for e in range(n_events):
        tz = "Asia/Baghdad" if e % 2 else "Europe/Vilnius"
        ev = Event.objects.create(
            slug=f"event-{e}",
            title=f"Training {e}",
            kind=Event.Kind.TRAINING,
            timezone=tz,
            starts_at=start + timedelta(days=e),
            ends_at=start + timedelta(days=e, hours=8),
            status=Event.Status.PUBLISHED,
        )
        sessions = Session.objects.bulk_create(
            Session(
                event=ev,
                title=f"Module {k}",
                starts_at=start + timedelta(days=e, minutes=20 * k),
                ends_at=start + timedelta(days=e, minutes=20 * k + 15),
            )
            for k in range(per_event)
        )
        reg = Registration.objects.create(event=ev, user=person, status=Registration.Status.REGISTERED)
        reg.sessions.add(*sessions)
    token = feed_token_for(person).key

    client = Client()
    event_url, personal_url = "/calendar/events/big-fair.ics", f"/calendar/feeds/{token}.ics"

    # A trivial view mounted for the baseline: same middleware, no work.
    import config.urls

    config.urls.urlpatterns.insert(0, path("bench-trivial/", lambda request: HttpResponse(b"ok")))
    from django.urls import clear_url_caches

    clear_url_caches()

    def get(url: str, **headers: str):
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 304), (response.status_code, response.get("Location"))
        return response

    first = get(event_url)
    n_event_items = first.content.count(b"BEGIN:VEVENT")
    etag_event = first["ETag"]
    first_personal = get(personal_url)
    n_personal_items = first_personal.content.count(b"BEGIN:VEVENT")
    etag_personal = first_personal["ETag"]
    assert get(event_url, if_none_match=etag_event).status_code == 304
    assert get(personal_url, if_none_match=etag_personal).status_code == 304

    items = event_feed_items(big, event_feed_sessions(big))

    def icalendar_baseline() -> bytes:
        cal = icalendar.Calendar()
        cal.add("prodid", "-//bench//")
        cal.add("version", "2.0")
        for it in items:
            ev = icalendar.Event()
            ev.add("uid", it.uid)
            ev.add("sequence", it.sequence)
            ev.add("dtstamp", it.dtstamp)
            ev.add("dtstart", it.start.astimezone(big.tzinfo))
            ev.add("dtend", it.end.astimezone(big.tzinfo))
            ev.add("summary", it.summary)
            ev.add("location", it.location)
            ev.add("description", it.description)
            ev.add("url", it.url)
            ev.add("categories", list(it.categories))
            ev.add("status", it.status)
            cal.add_component(ev)
        return cal.to_ical()

    # What travels: the feed as sent to a client that takes gzip (config/compression.py) and one that does not.
    zipped = get(event_url, accept_encoding="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    print(
        f"event feed, {n_event_items} sessions: {len(first.content):,} bytes plain, "
        f"{len(zipped.content):,} bytes gzip ({len(zipped.content) / len(first.content):.1%})"
    )

    r = args.repeat
    rows = [
        (f"event feed, {n_event_items} sessions: full request", median_ms(lambda: get(event_url), r), 300),
        ("event feed: render only (items in memory)", median_ms(lambda: render_feed(items, name="x"), r), None),
        ("baseline: icalendar components, same items", median_ms(icalendar_baseline, max(3, r // 3)), None),
        ("event feed: full request, gzip", median_ms(lambda: get(event_url, accept_encoding="gzip"), r), None),
        ("event feed: 304 path", median_ms(lambda: get(event_url, if_none_match=etag_event), r * 3), 5),
        (f"personal feed, {n_personal_items} items: full request", median_ms(lambda: get(personal_url), r), 30),
        ("personal feed: items query only", median_ms(lambda: personal_feed_items(person.pk), r), None),
        ("personal feed: 304 path", median_ms(lambda: get(personal_url, if_none_match=etag_personal), r * 3), 5),
        ("baseline: trivial view, full request", median_ms(lambda: get("/bench-trivial/"), r * 3), None),
    ]
    print(f"median of {r} runs (304 and trivial: {r * 3}); SQLite file, DEBUG off, Python {sys.version.split()[0]}")
    # Shared machines skew every figure; the load average says how much.
    print(f"load average (1, 5, 15 min): {', '.join(f'{v:.2f}' for v in os.getloadavg())}, cpus: {os.cpu_count()}")
    print(f"  {'':<52} {'wall ms':>9} {'cpu ms':>9}")
    for label, (wall, cpu), target in rows:
        verdict = ""
        if target is not None:
            verdict = f"  {'OK' if wall < target else 'OVER'} (target < {target} ms, wall clock)"
        print(f"  {label:<52} {wall:9.2f} {cpu:9.2f}{verdict}")


if __name__ == "__main__":
    main()
