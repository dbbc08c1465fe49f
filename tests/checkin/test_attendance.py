"""Training programme attendance: sessions attended of sessions held, threshold, page and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from checkin import services
from checkin.selectors import event_for_scanning
from events.models import Session
from tests.factories import SessionFactory


def test_attendance_counts_held_sessions_and_marks_who_reaches_the_threshold(live, payload_of):
    now = timezone.now()
    s1 = SessionFactory(event=live.event, title="Module 1", starts_at=now - timedelta(minutes=50))
    s2 = SessionFactory(event=live.event, title="Module 2", starts_at=now - timedelta(minutes=30))
    SessionFactory(event=live.event, title="Cancelled", starts_at=now, status=Session.Status.CANCELLED)
    SessionFactory(event=live.event, title="Tomorrow", starts_at=now + timedelta(days=1))
    services.checkin_settings_update(event=live.event, completion_threshold=100)
    event = event_for_scanning(slug=live.event.slug)
    for session in (s1, s2):
        services.checkin_scan(
            event=event, payload=payload_of(live.candidate, live.event), session=session, user=live.organiser
        )
    services.checkin_scan(event=event, payload=payload_of(live.official, live.event), session=s1, user=live.organiser)

    organiser = Client()
    organiser.force_login(live.organiser)
    report = organiser.get(f"/api/v1/checkin/events/{live.event.slug}/attendance").json()
    assert report["threshold"] == 100
    assert [s["title"] for s in report["sessions"]] == ["Module 1", "Module 2"]
    rows = {r["name"]: r for r in report["participants"]}
    assert (rows["Zainab Candidate"]["attended"], rows["Zainab Candidate"]["held"]) == (2, 2)
    assert rows["Zainab Candidate"]["qualifies"] is True
    assert (rows["Omar Official"]["attended"], rows["Omar Official"]["qualifies"]) == (1, False)

    services.checkin_settings_update(event=live.event, completion_threshold=50)
    response = organiser.get(f"/checkin/{live.event.slug}/attendance.csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][-2:] == ["Module 1", "Module 2"]
    by_name = {row[0]: row for row in table[1:]}
    assert by_name["Omar Official"][4:8] == ["1", "2", "50", "yes"]
    assert by_name["Omar Official"][-2:] == ["1", "0"]

    page = organiser.get(f"/checkin/{live.event.slug}/attendance/")
    assert page.status_code == 200 and "Zainab Candidate" in page.content.decode()


def test_csv_cells_cannot_run_as_spreadsheet_formulas(live):
    live.candidate.full_name = '=HYPERLINK("http://evil")'
    live.candidate.save()
    organiser = Client()
    organiser.force_login(live.organiser)
    text = organiser.get(f"/checkin/{live.event.slug}/attendance.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_attendance_is_for_organisers_only(live):
    client = Client()
    client.force_login(live.volunteer)
    assert client.get(f"/api/v1/checkin/events/{live.event.slug}/attendance").status_code == 403
    assert client.get(f"/checkin/{live.event.slug}/attendance.csv").status_code == 302
