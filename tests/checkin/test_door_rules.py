"""The door's rules at their edges: who a session admits, the window's first and last minute, sessions
entered twice or left, what a session's capacity counts, offline scan times, what a refusal shows.

Each test would fail if the rule it is named for were flipped, moved by one, or dropped (mutation
testing found these unguarded; docs/testing.md).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from checkin import hooks, services
from checkin.models import Scan, Ticket
from events.models import Registration, Session
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

SCAN = "/api/v1/checkin/scan"
COUNTS = "/api/v1/checkin/events/job-fair/counts"


@pytest.fixture
def door(live, api_client):
    client = api_client()
    client.force_login(live.volunteer)
    return client


def scan(client, payload, **extra):
    return client.post(SCAN, {"payload": payload, "event": "job-fair", "gate": "Main", **extra})


def local(event, at: datetime) -> str:
    return at.astimezone(event.tzinfo).isoformat(timespec="seconds")


def whole_seconds(at: datetime) -> datetime:
    return at.replace(microsecond=0)


def session_counts(door, session) -> dict:
    return door.get(COUNTS).json()["sessions"].get(str(session.pk), {"present": 0, "arrived": 0})


def person(event, role, name):
    user = UserFactory(full_name=name)
    RegistrationFactory(event=event, user=user, role=role)
    return user


# Who a session admits


def test_officials_only_session_admits_an_official(live, door, payload_of):
    session = SessionFactory(event=live.event, audience=Session.Audience.OFFICIALS, starts_at=timezone.now())
    response = scan(door, payload_of(live.official, live.event), session=session.pk)
    assert response.status_code == 201
    assert response.json()["attendee"]["role"] == "official"


@pytest.mark.parametrize("role", [Registration.Role.ORGANISER, Registration.Role.SPEAKER])
def test_officials_only_session_admits_organisers_and_speakers(live, door, payload_of, role):
    session = SessionFactory(event=live.event, audience=Session.Audience.OFFICIALS, starts_at=timezone.now())
    user = person(live.event, role, "Sam Staff")
    assert scan(door, payload_of(user, live.event), session=session.pk).status_code == 201


def test_officials_only_session_refuses_a_candidate_with_who_they_are(live, door, payload_of):
    session = SessionFactory(event=live.event, audience=Session.Audience.OFFICIALS, starts_at=timezone.now())
    response = scan(door, payload_of(live.candidate, live.event), session=session.pk)
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "error" and body["reason"] == "not_registered_for_session"
    assert body["message"] == "This session is for officials only."
    assert body["attendee"]["name"] == "Zainab Candidate"
    assert session_counts(door, session) == {"present": 0, "arrived": 0}


def test_public_session_admits_a_candidate(live, door, payload_of):
    session = SessionFactory(event=live.event, audience=Session.Audience.PUBLIC, starts_at=timezone.now())
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk).status_code == 201


# The check-in window's first and last minute (an offline scan carries the moment it happened)


def test_scan_at_the_very_minute_check_in_opens_is_admitted(live, door, payload_of):
    event = live.event
    event.starts_at = whole_seconds(timezone.now() - timedelta(hours=1))
    event.save()
    opens = event.starts_at - timedelta(minutes=120)
    response = scan(door, payload_of(live.candidate, event), scanned_at=opens.isoformat())
    assert response.status_code == 201
    assert response.json()["checkin"]["at"] == local(event, opens)


def test_scan_a_second_before_check_in_opens_is_refused(live, door, payload_of):
    event = live.event
    event.starts_at = whole_seconds(timezone.now() - timedelta(hours=1))
    event.save()
    early = event.starts_at - timedelta(minutes=120, seconds=1)
    response = scan(door, payload_of(live.candidate, event), scanned_at=early.isoformat())
    assert response.status_code == 409
    assert response.json()["reason"] == "not_open"


def test_scan_at_the_very_minute_check_in_closes_is_admitted(live, door, payload_of):
    event = live.event
    event.ends_at = whole_seconds(timezone.now() - timedelta(hours=3))
    event.starts_at = event.ends_at - timedelta(hours=4)
    event.save()
    closes = event.ends_at + timedelta(minutes=60)
    response = scan(door, payload_of(live.candidate, event), scanned_at=closes.isoformat())
    assert response.status_code == 201
    assert response.json()["checkin"]["at"] == local(event, closes)


def test_scan_a_second_after_check_in_closes_is_refused(live, door, payload_of):
    event = live.event
    event.ends_at = whole_seconds(timezone.now() - timedelta(hours=3))
    event.starts_at = event.ends_at - timedelta(hours=4)
    event.save()
    late = event.ends_at + timedelta(minutes=60, seconds=1)
    response = scan(door, payload_of(live.candidate, event), scanned_at=late.isoformat())
    assert response.status_code == 409
    assert response.json()["reason"] == "not_open"


# Sessions entered twice, and left


def test_same_ticket_entering_a_session_twice_reports_its_first_entry_there(live, door, payload_of):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload).status_code == 201  # at the event's door first, at another time and gate
    entered = scan(door, payload, session=session.pk, gate="Hall B").json()
    again = scan(door, payload, session=session.pk, gate="Hall C")
    assert again.status_code == 200
    body = again.json()
    assert body["status"] == "already_checked_in"
    assert body["first"] == {"at": entered["checkin"]["at"], "gate": "Hall B"}
    assert body["attendee"]["name"] == "Zainab Candidate"
    assert session_counts(door, session) == {"present": 1, "arrived": 1}


def test_first_session_entry_is_also_the_arrival_at_the_event(live, door, payload_of):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk, gate="Hall B").status_code == 201
    counts = door.get(COUNTS).json()
    assert counts["present"] == 1 and counts["by_gate"] == {"Hall B": 1}


def test_leaving_a_session_frees_the_person_to_enter_it_again(live, door, payload_of):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload, session=session.pk).status_code == 201
    left = scan(door, payload, session=session.pk, direction="out")
    assert left.status_code == 201 and left.json()["checkin"]["direction"] == "out"
    assert session_counts(door, session) == {"present": 0, "arrived": 1}
    # Leaving a session is not leaving the event.
    assert door.get(COUNTS).json()["present"] == 1
    assert scan(door, payload, session=session.pk).status_code == 201
    assert session_counts(door, session) == {"present": 1, "arrived": 1}


def test_leaving_a_session_one_never_entered_records_no_attendance(live, door, payload_of):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload, session=session.pk, direction="out").status_code == 201
    assert session_counts(door, session) == {"present": 0, "arrived": 0}
    # Never arrived at the event either, so the out scan took no one away.
    assert door.get(COUNTS).json()["present"] == 0


def test_leaving_the_event_then_scanning_in_again_is_admitted(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload).status_code == 201
    assert scan(door, payload, direction="out").status_code == 201
    assert door.get(COUNTS).json()["present"] == 0
    again = scan(door, payload, gate="Side")
    assert again.status_code == 201
    assert door.get(COUNTS).json()["present"] == 1


# What a session's capacity counts


def test_session_capacity_ignores_people_inside_other_sessions(live, door, payload_of):
    full_elsewhere = SessionFactory(event=live.event, capacity=1, starts_at=timezone.now())
    session = SessionFactory(event=live.event, capacity=1, starts_at=timezone.now())
    assert scan(door, payload_of(live.official, live.event), session=full_elsewhere.pk).status_code == 201
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk).status_code == 201


def test_session_capacity_ignores_people_who_left_it(live, door, payload_of):
    session = SessionFactory(event=live.event, capacity=1, starts_at=timezone.now())
    official = payload_of(live.official, live.event)
    assert scan(door, official, session=session.pk).status_code == 201
    assert scan(door, official, session=session.pk, direction="out").status_code == 201
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk).status_code == 201


def test_session_with_a_seat_left_admits_a_walk_in(live, door, payload_of):
    session = SessionFactory(event=live.event, capacity=2, starts_at=timezone.now())
    assert scan(door, payload_of(live.official, live.event), session=session.pk).status_code == 201
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk).status_code == 201
    refused = scan(door, payload_of(live.employer_a, live.event), session=session.pk)
    assert refused.status_code == 409
    assert refused.json()["reason"] == "session_full"
    assert refused.json()["attendee"]["organisation"] == "Baltic Code UAB"


def test_full_session_still_admits_someone_who_signed_up_for_it(live, door, payload_of):
    session = SessionFactory(event=live.event, capacity=1, starts_at=timezone.now())
    Registration.objects.get(user=live.candidate, event=live.event).sessions.add(session)
    assert scan(door, payload_of(live.official, live.event), session=session.pk).status_code == 201
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk).status_code == 201


def test_full_sign_up_only_session_admits_someone_who_signed_up(live, door, payload_of):
    services.checkin_settings_update(event=live.event, sessions_require_signup=True)
    session = SessionFactory(event=live.event, capacity=1, starts_at=timezone.now())
    for user in (live.official, live.candidate):
        Registration.objects.get(user=user, event=live.event).sessions.add(session)
    assert scan(door, payload_of(live.official, live.event), session=session.pk).status_code == 201
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk).status_code == 201


def test_someone_inside_a_full_session_scanned_again_hears_they_are_in(live, door, payload_of):
    session = SessionFactory(event=live.event, capacity=1, starts_at=timezone.now())
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload, session=session.pk).status_code == 201
    assert scan(door, payload, session=session.pk).json()["status"] == "already_checked_in"


def test_cancelled_session_refuses_with_its_reason_and_the_person(live, door, payload_of):
    session = SessionFactory(event=live.event, starts_at=timezone.now(), status=Session.Status.CANCELLED)
    response = scan(door, payload_of(live.candidate, live.event), session=session.pk)
    assert response.status_code == 409
    body = response.json()
    assert body["reason"] == "not_open" and body["message"] == "This session was cancelled."
    assert body["attendee"]["name"] == "Zainab Candidate"


# Offline scans: the moment on the phone counts, when it is plausible


def test_offline_scan_is_recorded_at_the_time_on_the_phone(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    at = whole_seconds(timezone.now() - timedelta(minutes=40))
    response = scan(door, payload, scanned_at=at.isoformat(), client_scan_id="phone-1:1")
    assert response.status_code == 201
    assert response.json()["checkin"]["at"] == local(live.event, at)
    again = scan(door, payload, gate="Side").json()
    assert again["first"] == {"at": local(live.event, at), "gate": "Main"}


def test_offline_scan_from_a_minute_ago_is_recorded_at_the_time_on_the_phone(live, door, payload_of):
    at = whole_seconds(timezone.now() - timedelta(minutes=1))
    response = scan(door, payload_of(live.candidate, live.event), scanned_at=at.isoformat())
    assert response.json()["checkin"]["at"] == local(live.event, at)


def test_offline_scan_exactly_a_day_old_is_still_recorded_at_the_time_on_the_phone(live, payload_of, monkeypatch):
    from checkin.selectors import event_for_scanning

    now = whole_seconds(timezone.now())
    live.event.starts_at = now - timedelta(days=2)
    live.event.save()
    payload = payload_of(live.candidate, live.event)
    monkeypatch.setattr(timezone, "now", lambda: now)  # the server's clock, stopped
    outcome = services.checkin_scan(
        event=event_for_scanning(slug="job-fair"),
        payload=payload,
        gate="Main",
        user=live.volunteer,
        scanned_at=now - timedelta(hours=24),
    )
    assert outcome.body["checkin"]["at"] == local(live.event, now - timedelta(hours=24))


def test_offline_scan_from_a_day_ago_is_recorded_now(live, door, payload_of):
    before = whole_seconds(timezone.now())
    stale = before - timedelta(hours=25)
    response = scan(door, payload_of(live.candidate, live.event), scanned_at=stale.isoformat())
    assert response.status_code == 201
    assert datetime.fromisoformat(response.json()["checkin"]["at"]) >= before


def test_phone_clock_slightly_ahead_is_recorded_at_the_server_time(live, door, payload_of):
    ahead = timezone.now() + timedelta(minutes=3)
    response = scan(door, payload_of(live.candidate, live.event), scanned_at=ahead.isoformat())
    assert response.status_code == 201
    assert datetime.fromisoformat(response.json()["checkin"]["at"]) <= timezone.now()


def test_phone_clock_far_ahead_is_recorded_at_the_server_time(live, door, payload_of):
    ahead = timezone.now() + timedelta(minutes=30)
    response = scan(door, payload_of(live.candidate, live.event), scanned_at=ahead.isoformat())
    assert response.status_code == 201
    assert datetime.fromisoformat(response.json()["checkin"]["at"]) <= timezone.now()


def test_late_offline_in_scan_after_a_newer_out_scan_changes_nothing(live, door, payload_of):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload, session=session.pk).status_code == 201
    assert scan(door, payload, session=session.pk, direction="out").status_code == 201
    earlier = timezone.now() - timedelta(minutes=10)
    late = scan(door, payload, session=session.pk, scanned_at=earlier.isoformat())
    assert late.status_code == 200
    assert late.json()["status"] == "superseded" and late.json()["attendee"]["name"] == "Zainab Candidate"
    assert late.json()["message"] == (
        "Recorded. A newer scan of this ticket was already applied, so this one changed nothing."
    )
    assert session_counts(door, session)["present"] == 0
    logged = Scan.objects.latest("pk")
    assert (logged.result, logged.reason) == (Scan.Result.SUPERSEDED, "superseded")


def test_late_offline_scan_is_applied_when_the_newer_scans_were_at_another_session(live, door, payload_of):
    here = SessionFactory(event=live.event, starts_at=timezone.now())
    elsewhere = SessionFactory(event=live.event, starts_at=timezone.now())
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload, session=elsewhere.pk).status_code == 201
    earlier = timezone.now() - timedelta(minutes=10)
    assert scan(door, payload, session=here.pk, scanned_at=earlier.isoformat()).status_code == 201
    assert session_counts(door, here)["present"] == 1


def test_late_offline_scan_is_applied_when_nothing_newer_was(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    first = timezone.now() - timedelta(minutes=20)
    assert scan(door, payload, scanned_at=first.isoformat(), direction="out").status_code == 201
    later = timezone.now() - timedelta(minutes=10)
    assert scan(door, payload, scanned_at=later.isoformat()).status_code == 201
    assert door.get(COUNTS).json()["present"] == 1


def test_late_offline_scan_is_judged_by_its_own_tickets_newer_scans_only(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    first = timezone.now() - timedelta(minutes=20)
    assert scan(door, payload, scanned_at=first.isoformat(), direction="out").status_code == 201
    # Someone else passes the door now, after the late scan below happened on the phone.
    assert scan(door, payload_of(live.employer_a, live.event)).status_code == 201
    later = timezone.now() - timedelta(minutes=10)
    late = scan(door, payload, scanned_at=later.isoformat())
    assert (late.status_code, late.json()["status"]) == (201, "ok")
    assert door.get(COUNTS).json()["present"] == 2


# What the door tells its subscribers (the matching engine's live index, the hooks of other apps)


def test_a_check_in_tells_subscribers_who_arrived_where_and_when(
    live, door, payload_of, django_capture_on_commit_callbacks
):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    seen: list[hooks.CheckinInfo] = []
    hooks.on_checkin(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            body = scan(door, payload_of(live.candidate, live.event), session=session.pk).json()
        # With production timing (TEST_PRODUCTION_TIMING=1) subscribers run on the hook thread, a moment later.
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        hooks.off_checkin(seen.append)
    record = Scan.objects.get(pk=body["checkin"]["id"])
    registration = Registration.objects.get(event=live.event, user=live.candidate)
    assert seen == [
        hooks.CheckinInfo(
            event_id=live.event.pk,
            event_slug="job-fair",
            registration_id=registration.pk,
            user_id=live.candidate.pk,
            role=Registration.Role.CANDIDATE,
            session_id=session.pk,
            gate="Main",
            direction="in",
            at=record.scanned_at,
            scan_id=record.pk,
            inside=True,
        )
    ]


# A refusal still says who was scanned (except when the ticket was not read at all)


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        (Registration.Status.CANCELLED, "cancelled", "This registration was cancelled."),
        (Registration.Status.DECLINED, "cancelled", "This registration was cancelled."),
        (Registration.Status.INVITED, "cancelled", "The invitation was never accepted."),
        (Registration.Status.WAITLISTED, "waitlisted", "This person is on the waiting list and has no seat."),
    ],
)
def test_refused_ticket_shows_whose_it_is(live, door, payload_of, status, reason, message):
    payload = payload_of(live.employer_b, live.event)
    Registration.objects.filter(user=live.employer_b, event=live.event).update(status=status)
    response = scan(door, payload)
    assert (response.status_code, response.json()["reason"]) == (409, reason)
    assert response.json()["message"] == message
    assert response.json()["attendee"] == {
        "name": "Bashir Employer",
        "role": "employer",
        "role_label": "Employer representative",
        "organisation": "Tigris Tech",
    }


def test_a_code_whose_ticket_no_longer_exists_is_refused_as_cancelled(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    Ticket.objects.filter(registration__user=live.candidate, registration__event=live.event).delete()
    response = scan(door, payload)
    assert (response.status_code, response.json()) == (
        409,
        {"status": "error", "reason": "cancelled", "message": "This ticket no longer exists."},
    )


def test_the_code_of_a_replaced_ticket_is_refused_saying_so(live, door, payload_of):
    old = payload_of(live.candidate, live.event)
    services.ticket_reissue(registration=Registration.objects.get(user=live.candidate, event=live.event))
    response = scan(door, old)
    assert (response.status_code, response.json()["reason"]) == (409, "cancelled")
    assert response.json()["message"] == "This ticket was replaced by a newer one."
    assert response.json()["attendee"]["name"] == "Zainab Candidate"
    assert scan(door, payload_of(live.candidate, live.event)).status_code == 201


def test_ticket_for_another_event_is_refused_with_whose_it_is(live, door, payload_of):
    other = EventFactory(slug="other-fair")
    RegistrationFactory(event=other, user=live.candidate)
    response = scan(door, payload_of(live.candidate, other))
    assert response.json()["reason"] == "wrong_event"
    assert response.json()["attendee"] == {
        "name": "Zainab Candidate",
        "role": "candidate",
        "role_label": "Candidate",
        "organisation": "",
    }


def test_unreadable_payload_is_refused_without_an_attendee(live, door):
    body = scan(door, "not a ticket").json()
    assert body["reason"] == "invalid" and "attendee" not in body


def test_scan_by_someone_not_on_the_door_is_refused_without_an_attendee(live, api_client, payload_of):
    client = api_client()
    client.force_login(live.employer_a)
    body = scan(client, payload_of(live.candidate, live.event)).json()
    assert body["reason"] == "forbidden" and "attendee" not in body


# Unreadable codes are throttled per sender; a cache outage never stops the door


def test_unreadable_codes_are_throttled_per_person_not_for_everyone(live, api_client, settings):
    settings.CHECKIN_INVALID_LIMIT = 2
    volunteer, organiser = api_client(), api_client()
    volunteer.force_login(live.volunteer)
    organiser.force_login(live.organiser)
    answers = [scan(volunteer, f"guess-{i}").status_code for i in range(3)]
    assert answers == [400, 400, 429]
    throttled = scan(volunteer, "guess-3").json()
    assert (throttled["reason"], throttled["retry_after"]) == ("throttled", 60)
    assert scan(organiser, "guess").status_code == 400


def test_a_cache_outage_never_throttles_the_door(live, door, settings, monkeypatch, payload_of):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    settings.CHECKIN_INVALID_LIMIT = 0
    monkeypatch.setattr(cache, "incr", down)
    assert scan(door, "guess").json()["reason"] == "invalid"
    assert scan(door, payload_of(live.candidate, live.event)).status_code == 201


# What the audit log keeps, and the service's own guards


def test_the_audit_log_keeps_the_first_120_characters_of_a_payload_with_unstorable_ones_replaced(live):
    from checkin.selectors import event_for_scanning

    payload = "\x00" + "x" * 200
    services.checkin_scan(event=event_for_scanning(slug="job-fair"), payload=payload, user=live.volunteer)
    assert Scan.objects.get().payload == "\ufffd" + "x" * 119


def test_a_scan_at_no_named_gate_is_recorded_without_one(live, payload_of):
    from checkin.selectors import event_for_scanning

    payload = payload_of(live.candidate, live.event)
    outcome = services.checkin_scan(event=event_for_scanning(slug="job-fair"), payload=payload, user=live.volunteer)
    assert (outcome.status, outcome.body["checkin"]["gate"]) == (201, "")
    logged = Scan.objects.get()
    assert (logged.gate, logged.action, logged.scanned_by) == ("", Scan.Action.SCAN, live.volunteer)


def test_self_service_never_checks_in_someone_elses_ticket(live, payload_of):
    from checkin.selectors import event_for_scanning

    event = event_for_scanning(slug="job-fair")
    theirs = payload_of(live.employer_a, live.event)
    outcome = services.checkin_scan(event=event, payload=theirs, user=live.candidate, self_service=True)
    assert (outcome.status, outcome.body["reason"]) == (403, "forbidden")
    assert "attendee" not in outcome.body  # whose ticket it is stays unsaid
    assert not Ticket.objects.filter(registration__user=live.employer_a, inside=True).exists()


def test_self_service_with_a_ticket_that_no_longer_exists_is_refused(live, payload_of):
    from checkin.selectors import event_for_scanning

    payload = payload_of(live.candidate, live.event)
    Ticket.objects.filter(registration__user=live.candidate).delete()
    outcome = services.checkin_scan(
        event=event_for_scanning(slug="job-fair"), payload=payload, user=live.candidate, self_service=True
    )
    assert (outcome.status, outcome.body["reason"]) == (403, "forbidden")


# A retried scan is answered as the first time, by the first scan


def test_a_retried_scan_is_answered_by_the_first_scan(live, payload_of):
    from checkin.selectors import event_for_scanning

    event = event_for_scanning(slug="job-fair")
    payload = payload_of(live.candidate, live.event)
    kwargs = {"event": event, "payload": payload, "gate": "Main", "user": live.volunteer, "client_scan_id": "p:1"}
    first = services.checkin_scan(**kwargs)
    again = services.checkin_scan(**kwargs)
    assert (again.status, again.body, again.scan_id, again.replayed) == (201, first.body, first.scan_id, True)
    assert first.replayed is False and first.body["checkin"]["id"] == first.scan_id
    conflict = services.checkin_scan(**{**kwargs, "gate": "Side"})
    assert (conflict.status, conflict.body["reason"], conflict.scan_id, conflict.replayed) == (
        409,
        "idempotency_conflict",
        None,
        True,
    )


def test_unreadable_codes_are_counted_for_one_minute(live, door, settings, monkeypatch):
    # The cache's own clock, moved by hand: Django's in-memory cache, also in the run on Redis (whose
    # expiry is the server's clock, which a test cannot move).
    from django.core.cache.backends import base, locmem

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clock"}}
    now = [1_000_000.0]
    clock = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(base, "time", clock)
    monkeypatch.setattr(locmem, "time", clock)
    settings.CHECKIN_INVALID_LIMIT = 1
    assert [scan(door, f"guess-{i}").status_code for i in range(2)] == [400, 429]
    now[0] += 59.5
    assert scan(door, "guess-2").status_code == 429  # still within the minute of the first guess
    now[0] += 1
    assert scan(door, "guess-3").status_code == 400  # a minute later the count starts again


def test_an_unreadable_code_from_nobody_signed_in_is_refused_as_unreadable(live):
    from checkin.selectors import event_for_scanning

    outcome = services.checkin_scan(
        event=event_for_scanning(slug="job-fair"), payload="guess", user=None, self_service=True
    )
    assert (outcome.status, outcome.body["reason"]) == (400, "invalid")


def test_a_retried_scan_is_answered_by_its_own_first_scan_among_others(live, payload_of):
    from checkin.selectors import event_for_scanning

    other_fair = EventFactory(slug="other-fair", starts_at=live.event.starts_at, ends_at=live.event.ends_at)
    RegistrationFactory(event=other_fair, user=live.candidate)
    RegistrationFactory(event=other_fair, user=live.volunteer, role=Registration.Role.STAFF)
    here = event_for_scanning(slug="job-fair")
    kwargs = {"event": here, "payload": payload_of(live.candidate, live.event), "user": live.volunteer}
    first = services.checkin_scan(**kwargs, client_scan_id="p:1")
    # Since then: the same phone-made id used at another fair, and someone else passing here.
    services.checkin_scan(
        event=event_for_scanning(slug="other-fair"),
        payload=payload_of(live.candidate, other_fair),
        user=live.volunteer,
        client_scan_id="p:1",
    )
    services.checkin_scan(event=here, payload=payload_of(live.employer_a, live.event), user=live.volunteer)
    again = services.checkin_scan(**kwargs, client_scan_id="p:1")
    assert (first.status, again.status, again.replayed) == (201, 201, True)
    assert again.body == first.body and again.scan_id == first.scan_id


def test_a_session_scan_answers_with_its_session(live, door, payload_of):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    body = scan(door, payload_of(live.candidate, live.event), session=session.pk).json()
    assert body["checkin"]["session"] == session.pk
    assert scan(door, payload_of(live.employer_a, live.event)).json()["checkin"]["session"] is None


def test_unreadable_codes_are_throttled_after_twenty_by_default(live, door):
    answers = [scan(door, f"guess-{i}").status_code for i in range(21)]
    assert answers == [400] * 20 + [429]


# What counts as a newer scan against a late offline one


def test_late_offline_scan_is_applied_when_the_newer_scan_was_undone(live, door, api_client, payload_of):
    payload = payload_of(live.candidate, live.event)
    newer = scan(door, payload).json()
    organiser = api_client()
    organiser.force_login(live.organiser)
    assert organiser.post(f"/api/v1/checkin/scans/{newer['checkin']['id']}/undo").status_code == 200
    earlier = timezone.now() - timedelta(minutes=10)
    late = scan(door, payload, scanned_at=earlier.isoformat())
    assert late.status_code == 201 and late.json()["checkin"]["at"] == local(live.event, earlier)


def test_late_offline_scan_is_applied_when_the_newer_scan_was_refused(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    # An offline scan twenty minutes ago, synced now: the ticket changed now, at a time after both below.
    assert scan(door, payload, scanned_at=(timezone.now() - timedelta(minutes=20)).isoformat()).status_code == 201
    officials = SessionFactory(event=live.event, audience=Session.Audience.OFFICIALS, starts_at=timezone.now())
    assert scan(door, payload, session=officials.pk).status_code == 409
    earlier = timezone.now() - timedelta(minutes=10)
    late = scan(door, payload, scanned_at=earlier.isoformat(), direction="out")
    assert late.status_code == 201 and late.json()["status"] == "ok"
    assert door.get(COUNTS).json()["present"] == 0
