"""The scan's database work is pinned: a new query on the hot path must be a conscious decision.

These tests run inside the test's transaction, so the scan's own `atomic` is a savepoint (two extra
statements, SAVEPOINT and RELEASE, which production does not pay) and the after-commit work (live
counts, hook subscribers) does not run: what is pinned is exactly the scan's transaction.
"""

from __future__ import annotations

import re

from django.db import connection

from checkin import services
from checkin.selectors import event_for_scanning

SAVEPOINT = 2


def _shape(captured) -> list[str]:
    shapes = []
    for query in captured.captured_queries:
        sql = query["sql"]
        word = sql.split()[0].upper()
        if word in ("SAVEPOINT", "RELEASE"):
            continue
        match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
        table = match.group(1) if match else ""
        shapes.append(f"{word} {table}")
    return shapes


def test_ok_scan_by_door_staff_costs_four_queries(live, payload_of, django_assert_num_queries):
    payload = payload_of(live.candidate, live.event)
    event = event_for_scanning(slug="job-fair")
    with django_assert_num_queries(4 + SAVEPOINT) as captured:
        outcome = services.checkin_scan(
            event=event, payload=payload, gate="Main", client_scan_id="q-1", user=live.volunteer
        )
    assert outcome.status == 201, outcome.body
    assert _shape(captured) == [
        "SELECT events_registration",  # is this person door staff here?
        "SELECT checkin_ticket",  # the ticket, locked, with registration, person and organisation
        "INSERT checkin_scan",  # the audit row; its unique index catches a repeated client_scan_id
        "UPDATE checkin_ticket",  # the door state
    ]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in captured.captured_queries[2]["sql"]


def test_ok_scan_by_device_costs_three_queries(live, payload_of, django_assert_num_queries):
    device, _raw = services.device_create(event=live.event, name="Gate", created_by=live.organiser)
    payload = payload_of(live.candidate, live.event)
    event = event_for_scanning(slug="job-fair")
    with django_assert_num_queries(3 + SAVEPOINT):
        outcome = services.checkin_scan(event=event, payload=payload, gate="Main", client_scan_id="q-2", device=device)
    assert outcome.status == 201


def test_repeat_scan_without_scan_id_costs_two_queries(live, payload_of, django_assert_num_queries):
    payload = payload_of(live.candidate, live.event)
    event = event_for_scanning(slug="job-fair")
    services.checkin_scan(event=event, payload=payload, user=live.organiser)
    with django_assert_num_queries(2 + SAVEPOINT) as captured:
        outcome = services.checkin_scan(event=event, payload=payload, user=live.organiser)
    assert outcome.body["status"] == "already_checked_in"
    assert _shape(captured) == ["SELECT checkin_ticket", "INSERT checkin_scan"]


def test_invalid_payload_costs_one_insert(live, django_assert_num_queries):
    event = event_for_scanning(slug="job-fair")
    with django_assert_num_queries(1 + SAVEPOINT):
        outcome = services.checkin_scan(event=event, payload="forged", user=live.organiser)
    assert outcome.body["reason"] == "invalid"
