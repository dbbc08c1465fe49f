"""The door's own statements are plain querysets: what they read and write, and the event they keep."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from checkin import services
from checkin.door import _ticket_locked
from checkin.models import Scan, Ticket
from checkin.selectors import event_for_scanning
from events.models import Registration
from realtime import generations


def _ticket(actors, user):
    return services.ticket_issue(registration=Registration.objects.get(event=actors.event, user=user))


def test_the_locked_ticket_read_brings_registration_person_and_organisation_in_one_query(
    actors, django_assert_num_queries
):
    ticket = _ticket(actors, actors.employer_a)
    orm = Ticket.objects.select_related("registration__user", "registration__organisation").get(pk=ticket.pk)
    with django_assert_num_queries(1) as captured:
        read = _ticket_locked(ticket.code)
        # What the checks and the answer use came with the row: reading it costs nothing more.
        reg = read.registration
        seen = (reg.status, reg.role, reg.event_id, reg.user.get_full_name(), reg.user.email, reg.organisation.name)
        assert (read.pk, read.code, read.version, read.issued_at, read.inside, read.first_in_at) == (
            orm.pk,
            orm.code,
            orm.version,
            orm.issued_at,
            orm.inside,
            orm.first_in_at,
        )
    assert seen == (reg.status, "employer", actors.event.pk, "Aistė Employer", "a@baltic.example", "Baltic Code UAB")
    assert timezone.is_aware(read.issued_at)
    # Only the columns the door needs, not the person's every field.
    assert "password" not in captured.captured_queries[0]["sql"]
    # A person without an organisation (a LEFT JOIN's NULLs) and a code nobody holds.
    assert _ticket_locked(_ticket(actors, actors.candidate).code).registration.organisation is None
    assert _ticket_locked("NOSUCHCODE") is None


def test_an_accepted_scan_writes_its_audit_row_and_the_door_state(live, payload_of):
    at = timezone.now() - timedelta(minutes=3)
    outcome = services.checkin_scan(
        event=event_for_scanning(slug="job-fair"),
        payload=payload_of(live.candidate, live.event),
        gate="North",
        client_scan_id="c-1",
        scanned_at=at,
        user=live.volunteer,
    )
    assert outcome.status == 201, outcome.body
    stored = Scan.objects.get(pk=outcome.scan_id)
    assert (stored.result, stored.gate, stored.client_scan_id, stored.scanned_at) == ("ok", "North", "c-1", at)
    assert (stored.scanned_by, stored.response_status, stored.response["status"]) == (live.volunteer, 201, "ok")
    # Fields it was not given have the model's defaults.
    assert (stored.undoes_id, stored.action, stored.direction, stored.session_id) == (None, "scan", "in", None)
    ticket = Ticket.objects.get(pk=stored.ticket_id)
    assert (ticket.inside, ticket.first_in_at, ticket.first_in_gate) == (True, at, "North")
    assert ticket.last_scan_at >= at


def test_the_door_reads_an_event_again_once_it_changed_and_after_the_cache_was_lost(actors, django_assert_num_queries):
    event = event_for_scanning(slug="job-fair")
    with django_assert_num_queries(0):
        assert event_for_scanning(slug="job-fair") is event  # kept
    actors.event.title = "Renamed"
    actors.event.save()
    assert event_for_scanning(slug="job-fair").title == "Renamed"
    kept = event_for_scanning(slug="job-fair")
    # A lost counter (a cleared cache, a restarted Redis) starts above every value it had: no stale
    # copy can match it, even once other changes have counted it up again.
    cache.clear()
    generations._local.clear()  # the same, where the counters are the process's own (in-memory cache)
    actors.event.title = "Changed while the cache was empty"
    type(actors.event).objects.filter(pk=actors.event.pk).update(title=actors.event.title)
    assert event_for_scanning(slug="job-fair") is not kept
    assert event_for_scanning(slug="job-fair").title == "Changed while the cache was empty"


def test_a_change_by_a_process_that_shares_no_cache_reaches_the_door_within_the_max_age(actors, monkeypatch):
    from checkin import selectors

    event_for_scanning(slug="job-fair")
    # A management command or the task worker beside the in-memory cache: no counter seen here.
    type(actors.event).objects.filter(pk=actors.event.pk).update(title="Changed by another process")
    assert event_for_scanning(slug="job-fair").title != "Changed by another process"  # kept, for now
    monkeypatch.setattr(selectors, "EVENT_MAX_AGE", 0.0)
    assert event_for_scanning(slug="job-fair").title == "Changed by another process"
