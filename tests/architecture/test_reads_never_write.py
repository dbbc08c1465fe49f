"""Reads never write: no GET of a page or an API route writes a row or opens a write transaction.

Every route of the URL resolver outside the admin is called with GET, with its path filled from a
seeded fair (tickets, a seated registration whose ticket is still being issued, an expired meeting
request, a booked meeting, a paired scanner phone), as nobody, the organiser, an employer, a
candidate and an official, and as the phone on the door's API. The SQL of each request is
captured: an INSERT, UPDATE, DELETE or REPLACE, a `SELECT … FOR UPDATE`, or a write transaction
(`BEGIN IMMEDIATE`: on SQLite every `transaction.atomic()` takes the one writer lock, the door's) fails
the test. Only the exceptions below are allowed, each by table and route, each with its reason.

The test database is used without the wrapping transaction of other tests (transaction=True), so
the statements are exactly what production runs.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from checkin import services as checkin_services
from checkin.models import BadgeJob, Ticket
from checkin.selectors import event_for_scanning, ticket_payload
from checkin.tickets import poster_token
from events import consents, links, memberships, questionnaire_links, questionnaires
from events import services as events_services
from events.feeds import feed_token_for
from events.models import (
    ActionItem,
    Consent,
    Event,
    Membership,
    Minutes,
    Programme,
    Questionnaire,
    QuestionnaireInvitation,
    Registration,
    Room,
    User,
)
from events.stakeholders import contact_add, follow_up_add, interaction_record, stakeholder_create
from matching import certificates, meetings
from matching.meeting_links import answer_token
from matching.models import CandidateProfile, Certificate, Lead, Meeting, MeetingRequest, ScheduleRun
from matching.outcomes import outcome_record
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory
from tests.matching.fair_setup import _fresh_index, add_candidate, build_fair  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# Routes outside the test: Django's admin (its own views, organisers' tools; its forms POST) and the
# language switch (Django's own view, which only sets a cookie).
SKIPPED_PREFIXES = ("admin/", "i18n/")

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
WRITE_TRANSACTION = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)\b", re.IGNORECASE)
END_TRANSACTION = re.compile(r"^\s*(COMMIT|ROLLBACK|END)\b", re.IGNORECASE)
TABLE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)

# What a write transaction that wrote nothing (SQLite) or a row lock (PostgreSQL) is filed under.
WRITE_LOCK = "(write transaction)"

# The writes a GET may make, by table: (routes it may happen on, why). Nothing else.
ALLOWED: dict[str, tuple[tuple[str, ...], str]] = {
    # Signing in is a read of the link and a write of who is now signed in: the emailed link is the
    # password of people who have none. Django rotates the session (a new row, the old one deleted)
    # and stamps the person's last sign-in; opening the link proves the address is theirs, which
    # confirms the address and the consents that waited for that (events.services.email_confirm).
    "django_session": (
        ("me/link/<str:token>/", "me/finish/<str:token>/"),
        "a sign-in through an emailed link: the session Django keeps of it",
    ),
    "events_user": (
        ("me/link/<str:token>/", "me/finish/<str:token>/"),
        "a sign-in through an emailed link: last_login, and the address confirmed by opening it",
    ),
    "events_consent": (
        ("me/link/<str:token>/", "me/finish/<str:token>/"),
        "a sign-in through an emailed link confirms the consents that waited for the address",
    ),
    "events_registration": (
        ("me/link/<str:token>/", "me/finish/<str:token>/"),
        "a sign-in through an emailed link: the confirmed consents are flags on the registration",
    ),
    WRITE_LOCK: (
        ("me/link/<str:token>/", "me/finish/<str:token>/"),
        "a sign-in through an emailed link confirms the address in one transaction (its rows locked), even "
        "when nothing waited",
    ),
    # Who opened a candidate's CV is shown to the candidate on their privacy page: the log is the
    # point of the read (matching.services.cv_view_record), one INSERT without a transaction.
    "matching_cvview": (("matching/cv/<dbid:user_id>/",), "the CV view log the candidate reads"),
    # A person's calendar feed URL holds a secret token, made the first time the URL is shown
    # (events.feeds.feed_token_for) and kept: one INSERT per person, ever.
    "events_feedtoken": (
        ("api/v1/events/<slug>/registrations", "api/v1/registrations/<registration_id>", "me/registrations/<int:pk>/"),
        "the secret of a person's calendar feed URL, made the first time it is shown",
    ),
}


@dataclass
class World:
    """The seeded fair, and what fills each path parameter."""

    actors: Any
    clients: dict[str, Any] = field(default_factory=dict)
    params: dict[str, list[Any]] = field(default_factory=dict)
    route_params: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    queries: dict[str, dict[str, str]] = field(default_factory=dict)
    device_token: str = ""
    api_token: str = ""


@pytest.fixture
def world(actors, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    now = timezone.now()
    event = actors.event
    event.starts_at, event.ends_at, event.status = now - timedelta(hours=1), now + timedelta(hours=6), "live"
    event.save()
    # Requests expire after 15 minutes here, so the one sent an hour ago below has run out.
    fair = build_fair(actors, starts_at=now + timedelta(minutes=20), request_expiry_minutes=15)
    room = Room.objects.create(event=event, name="Hall A")
    session = SessionFactory(
        event=event, room=room, track="Digital skills", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    staff = UserFactory(email="door@example.org", full_name="Dina Door")
    RegistrationFactory(event=event, user=staff, role=Registration.Role.STAFF)
    waiting = add_candidate(event, "waiting@example.org", {"python": 2})
    waitlisted = Registration.objects.get(event=event, user=waiting)
    Registration.objects.filter(pk=waitlisted.pk).update(status=Registration.Status.WAITLISTED)
    Ticket.objects.filter(registration=waitlisted).delete()
    # A seat taken a moment ago, whose ticket the hook has not issued yet: reads must not issue it.
    official = Registration.objects.get(event=event, user=actors.official)
    Ticket.objects.filter(registration=official).delete()
    candidate = Registration.objects.get(event=event, user=actors.candidate)

    # Door activity: a scan, a paired phone that has never been seen, a badge job.
    door_event = event_for_scanning(slug=event.slug)
    checkin_services.checkin_scan(
        event=door_event,
        payload=ticket_payload(checkin_services.ticket_issue(registration=candidate)),
        gate="Main",
        user=actors.organiser,
    )
    scan = door_event.scans.order_by("-id").first()
    device, device_token = checkin_services.device_create(event=event, name="Gate 1", created_by=actors.organiser)
    job = BadgeJob.objects.create(event=event, requested_by=actors.organiser)

    # Matching: a request accepted into a booked meeting, another that ran out while still pending
    # (only the read filter says so until the sweep), a lead, a CV, a timetable run.
    request = meetings.meeting_request_create(
        event=event,
        organisation=actors.org_a,
        candidate=actors.candidate,
        sent_by="employer",
        requested_by=actors.employer_a,
    )
    meeting = meetings.meeting_request_respond(request_id=request.pk, user=actors.candidate, accept=True).meeting
    expired = meetings.meeting_request_create(
        event=event,
        organisation=actors.org_b,
        candidate=actors.candidate,
        sent_by="candidate",
        requested_by=actors.candidate,
        now=now - timedelta(hours=1),
    )
    assert MeetingRequest.objects.get(pk=expired.pk).status == MeetingRequest.Status.PENDING
    Lead.objects.create(
        event=event, organisation=actors.org_a, candidate=actors.candidate, captured_by=actors.employer_a
    )
    profile = CandidateProfile.objects.get(user=actors.candidate)
    profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    run = ScheduleRun.objects.create(event=event, created_by=actors.organiser)

    # Links people are emailed. The official ticked "list me among attendees" on a form while signed
    # out: that waits for their address to be confirmed, which opening the emailed link does.
    Registration.objects.filter(pk=official.pk).update(
        pending_consents=consents.consents_offered(share_profile=False, attendee_list=True)
    )
    consent = Consent.objects.filter(user=actors.candidate, event=event, withdrawn_at__isnull=True).first()
    membership = Membership.objects.get(user=actors.employer_a, organisation=actors.org_a)
    invitation = memberships.invitation_token(
        organisation_id=actors.org_a.pk, email="colleague@baltic.example", invited_by_id=actors.employer_a.pk
    )
    offer = links.registration_offer_token(user=actors.outsider, event=event, choices={"role": "candidate"})

    # A programme (issue 12) named like the fair, so <slug> fills its routes too: an action item due
    # today (overdue tomorrow: the roadmap computes it, nothing stores it) and a session's minutes.
    programme = Programme.objects.create(slug=event.slug, name="Digital Explorers")
    Event.objects.filter(pk=event.pk).update(programme=programme)
    item = ActionItem.objects.create(
        programme=programme, title="Recognise ICT diplomas", lead_organisation=actors.org_a, due_date=now.date()
    )
    Minutes.objects.create(session=session, rapporteur=actors.official, notes="Agreed.", status="published")
    bilateral = Meeting.objects.create(
        event=event, organisation=actors.org_b, candidate=actors.official, slot=99, source="bilateral",
        starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=2, minutes=30),
    )  # fmt: skip
    Minutes.objects.create(meeting=bilateral, rapporteur=actors.official, notes="Agreed.", status="published")
    # Its stakeholder directory (issue 13): one organisation with a follow-up overdue since yesterday.
    stakeholder = stakeholder_create(
        programme=programme,
        actor=actors.organiser,
        data={"name": "Erbil Tech Hub", "kind": "tech_hub", "country": "IQ"},
    )
    follow_up = follow_up_add(
        stakeholder=stakeholder,
        actor=actors.organiser,
        title="Call back",
        owner=actors.organiser,
        due_on=now.date() - timedelta(days=1),
    )
    contact = contact_add(
        stakeholder=stakeholder,
        actor=actors.organiser,
        name="Layla Hassan",
        consent_basis="in_writing",
        consent_given_on=now.date() - timedelta(days=3),
    )
    interaction = interaction_record(
        stakeholder=stakeholder, actor=actors.organiser, kind="call", happened_on=now.date() - timedelta(days=2)
    )

    # A questionnaire of the programme (issue 13): its summary page, its answers' CSV, its API summary.
    questionnaire = Questionnaire.objects.create(programme=programme, title={"en": "Curriculum review"})

    # A questionnaire sent to the hub's contact (issue 13): its personal link, and its tracking page.
    sent = Questionnaire.objects.create(programme=programme, title={"en": "Needs"}, status="open")
    personal_link = QuestionnaireInvitation.objects.create(
        questionnaire=sent,
        stakeholder=stakeholder,
        email="hub@example.org",
        token_hash=questionnaire_links.token_hash("personal-link"),
        sent_at=now,
        expires_at=now + timedelta(days=30),
    )

    # A questionnaire built from a template (issue 13): its builder pages and its API structure.
    built = questionnaires.questionnaire_create_from_template(
        programme=programme, actor=actors.organiser, template="ict_curriculum_review"
    )

    _token, api_token = events_services.api_token_create(user=actors.organiser, name="CRM")
    # A training and the candidate's certificate of it (issue 14): its check page, its PDF, the organisers' page.
    course = EventFactory(slug="ict-course", kind=Event.Kind.TRAINING)
    certificate = Certificate.objects.create(
        code=certificates.new_code(), event=course, user=actors.candidate, name="Zainab", programme="ICT",
        training="ICT", starts_on=now.date(), ends_on=now.date(), issued_at=now,
    )  # fmt: skip
    # What the fair led to (issue 14): employer A's offer to the candidate, on both sides' pages.
    outcome = outcome_record(
        event=event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="offer",
        offer_kind="job", offer_country="LT", work_mode="remote",
    )  # fmt: skip

    w = World(actors=actors, device_token=device_token, api_token=api_token)
    w.params = {
        "slug": [event.slug],
        "session_id": [session.pk],
        "registration_id": [candidate.pk, official.pk, waitlisted.pk],
        "candidate_id": [actors.candidate.pk],
        "user_id": [actors.candidate.pk],
        "job_id": [job.pk],
        "scan_id": [scan.pk],
        "device_id": [device.pk],
        "run_id": [run.pk],
        "questionnaire_id": [sent.pk],
        "section_id": [built.sections.first().pk],
        "question_id": [built.questions.first().pk],
        "invitation_id": [personal_link.pk],
        "request_id": [expired.pk],
        "meeting_id": [meeting.pk],
        "action_id": [item.pk],
        "action": ["accept"],
        "room_id": [room.pk],
        "track_slug": ["digital-skills"],
        "fmt": ["png", "svg"],
        "code": [certificates.grouped(certificate.code)],
        "round": ["intake", "end"],  # a training's skill-assessment rounds (issue 14)
        "outcome_id": [outcome.pk],
    }
    w.route_params = {
        "certificates/training/<slug:slug>/": {"slug": [course.slug]},
        "me/registrations/<int:pk>/": {"pk": [candidate.pk, official.pk, waitlisted.pk]},
        "programmes/<slug:slug>/stakeholders/<int:pk>/": {"pk": [stakeholder.pk]},
        "programmes/<slug:slug>/stakeholders/<int:pk>/contacts": {"pk": [stakeholder.pk]},
        "programmes/<slug:slug>/stakeholders/<int:pk>/interactions": {"pk": [stakeholder.pk]},
        "programmes/<slug:slug>/stakeholders/<int:pk>/follow-ups": {"pk": [stakeholder.pk]},
        "programmes/<slug:slug>/stakeholders/<int:pk>/edit": {"pk": [stakeholder.pk]},
        "programmes/<slug:slug>/stakeholders/<int:pk>/delete": {"pk": [stakeholder.pk]},
        "programmes/<slug:slug>/stakeholders/<int:pk>/contacts/<int:contact>/edit": {
            "pk": [stakeholder.pk],
            "contact": [contact.pk],
        },
        "programmes/<slug:slug>/stakeholders/<int:pk>/contacts/<int:contact>/remove": {
            "pk": [stakeholder.pk],
            "contact": [contact.pk],
        },
        "programmes/<slug:slug>/stakeholders/<int:pk>/interactions/<int:interaction>/edit": {
            "pk": [stakeholder.pk],
            "interaction": [interaction.pk],
        },
        "programmes/<slug:slug>/stakeholders/<int:pk>/interactions/<int:interaction>/delete": {
            "pk": [stakeholder.pk],
            "interaction": [interaction.pk],
        },
        "programmes/<slug:slug>/stakeholders/<int:pk>/follow-ups/<int:follow_up>/edit": {
            "pk": [stakeholder.pk],
            "follow_up": [follow_up.pk],
        },
        "programmes/<slug:slug>/stakeholders/<int:pk>/follow-ups/<int:follow_up>/reopen": {
            "pk": [stakeholder.pk],
            "follow_up": [follow_up.pk],
        },
        "programmes/<slug:slug>/stakeholders/<int:pk>/follow-ups/<int:follow_up>/done": {
            "pk": [stakeholder.pk],
            "follow_up": [follow_up.pk],
        },
        "me/registrations/<int:pk>/cancel/": {"pk": [candidate.pk]},
        "me/registrations/<int:pk>/sessions/<int:session_id>/": {"pk": [candidate.pk, official.pk]},
        "me/registrations/<int:pk>/respond/": {"pk": [candidate.pk]},
        "organisations/registrations/<int:pk>/confirm/": {"pk": [candidate.pk]},
        "organisations/memberships/<int:pk>/decide/": {"pk": [membership.pk]},
        "organisations/<int:pk>/verify/": {"pk": [actors.org_a.pk]},
        "organisations/<int:pk>/members/": {"pk": [actors.org_a.pk]},
        "me/privacy/consents/<int:pk>/withdraw/": {"pk": [consent.pk]},
        "programmes/minutes/session/<int:pk>/": {"pk": [session.pk]},
        "programmes/minutes/meeting/<int:pk>/": {"pk": [bilateral.pk]},
        "programmes/actions/<int:pk>/": {"pk": [item.pk]},
        "programmes/<slug:slug>/questionnaires/<int:pk>/summary": {"pk": [questionnaire.pk]},
        "programmes/<slug:slug>/questionnaires/<int:pk>/answers.csv": {"pk": [questionnaire.pk]},
        "api/v1/questionnaires/<questionnaire_id>/summary": {"questionnaire_id": [questionnaire.pk]},
        "api/v1/meetings/<meeting_id>/minutes": {"meeting_id": [bilateral.pk]},
        "api/v1/programmes/<slug>/stakeholders": {"slug": [programme.slug]},
        "api/v1/stakeholders/<stakeholder_id>": {"stakeholder_id": [stakeholder.pk]},
        "api/v1/stakeholders/<stakeholder_id>/interactions": {"stakeholder_id": [stakeholder.pk]},
        "me/link/<str:token>/": {"token": [links.magic_token(official)]},
        # The answering page reads; only its script's POSTs record the opening and the answers.
        "q/<str:token>/": {"token": ["personal-link"]},
        "q/<str:token>/opened": {"token": ["personal-link"]},
        "q/<str:token>/save": {"token": ["personal-link"]},
        "q/<str:token>/submit": {"token": ["personal-link"]},
        "me/finish/<str:token>/": {"token": [offer]},
        "organisations/invitations/<str:token>/": {"token": [invitation]},
        "calendar/feeds/<str:token>.ics": {"token": [feed_token_for(actors.candidate).key]},
        # An emailed answer link: its GET shows the request and one button; only the POST answers.
        "matching/answer/<str:token>/": {"token": [answer_token(request, "accept"), answer_token(request, "decline")]},
        "checkin/<slug:slug>/here/<str:token>/": {
            "token": [
                poster_token(event_id=event.pk, session_id=None),
                poster_token(event_id=event.pk, session_id=session.pk),
            ]
        },
    }
    w.queries = {
        "api/v1/checkin/events/<slug>/search": {"q": "zainab"},
        "checkin/<slug:slug>/poster/": {"session": str(session.pk)},
    }
    assert fair.config.pk
    # The builder's pages (issue 13) at /programmes/<slug>/questionnaires/<pk>/…
    for route in _routes():
        if route.startswith("programmes/<slug:slug>/questionnaires/<int:pk>/"):
            w.route_params.setdefault(route, {"pk": [built.pk]})
    return w


# Routes that answer every GET with an error, and why that is their answer.
EXPECTED_REFUSAL = {
    "api/v1/": (404, "the API's root names no endpoint: its JSON 'no such API endpoint'"),
    # The world's request was answered when it was booked, so its emailed links show 'already answered'
    # (a pending request's page is read without writing in tests/matching/test_meeting_notices.py).
    "matching/answer/<str:token>/": (409, "the request these links answer was answered already"),
}

ACTORS = ("nobody", "organiser", "employer", "candidate", "official", "door staff")
# Integrations call the API with a bearer token; the door's phones with their device token.
API_ACTORS = ("organiser's API token",)
DOOR_ACTORS = ("scanner phone",)


def _actors(route: str) -> tuple[str, ...]:
    if route.startswith("api/v1/checkin/"):
        return ACTORS + API_ACTORS + DOOR_ACTORS
    if route.startswith("api/v1/"):
        return ACTORS + API_ACTORS
    return ACTORS


def _client(world: World, actor: str) -> Client:
    client = Client()
    who = {
        "organiser": world.actors.organiser,
        "employer": world.actors.employer_a,
        "candidate": world.actors.candidate,
        "official": world.actors.official,
        "door staff": User.objects.filter(email="door@example.org").first(),
    }.get(actor)
    if who is not None:
        client.force_login(who)
    if actor == "scanner phone":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.device_token}"
    if actor == "organiser's API token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.api_token}"
    return client


def _routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str = ""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    routes = []
    for route in walk(get_resolver().url_patterns):
        # The API's last pattern is a regular expression that answers "no such endpoint" for any path.
        if route.startswith(SKIPPED_PREFIXES) or "^" in route or route in routes:
            continue
        routes.append(route)
    return routes


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _paths(world: World, route: str) -> list[str]:
    names = [name for _conv, name in PARAMETER.findall(route)]
    choices = []
    for name in names:
        values = world.route_params.get(route, {}).get(name) or world.params.get(name)
        assert values, f"teach the test a value for <{name}> in {route!r} (World.params or route_params)"
        choices.append(values)
    paths = []
    for combo in itertools.product(*choices):
        path = route
        for value in combo:
            path = PARAMETER.sub(str(value), path, count=1)
        paths.append("/" + path)
    return paths


def _writes(statements: list[str]) -> list[tuple[str, str]]:
    """(table or "", statement) of every write, and of every write transaction with no write in it."""
    found: list[tuple[str, str]] = []
    open_transaction: str | None = None
    wrote = False
    for sql in statements:
        if WRITE_TRANSACTION.match(sql):
            open_transaction, wrote = sql, False
        elif END_TRANSACTION.match(sql) and open_transaction is not None:
            if not wrote:
                found.append((WRITE_LOCK, f"{open_transaction} … (a write transaction around reads only)"))
            open_transaction = None
        elif WRITE.match(sql):
            match = TABLE.match(sql)
            found.append((match.group(1) if match else "", sql))
            wrote = True
        elif " FOR UPDATE" in sql.upper():
            # PostgreSQL shows no BEGIN, but a row lock is a write transaction's doing.
            found.append((WRITE_LOCK, sql))
    return found


def _allowed(route: str, table: str) -> bool:
    routes, _reason = ALLOWED.get(table, ((), ""))
    return route in routes


def _signed_in(world: World, actor: str, route: str) -> Client:
    """A client of this actor's one session; a fresh one for the routes that sign someone in, since
    signing in replaces the session it arrives with."""
    if route in ALLOWED["django_session"][0]:
        return _client(world, actor)
    if actor not in world.clients:
        world.clients[actor] = _client(world, actor)
    base = world.clients[actor]
    client = Client(**base.defaults)  # the bearer token, if any
    if settings.SESSION_COOKIE_NAME in base.cookies:  # only the session: each GET starts clean
        client.cookies[settings.SESSION_COOKIE_NAME] = base.cookies[settings.SESSION_COOKIE_NAME].value
    return client


def _get(world: World, actor: str, path: str, route: str) -> tuple[int, list[tuple[str, str]]]:
    client = _signed_in(world, actor, route)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, world.queries.get(route, {}))
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # a FileResponse reads its file as it is sent
    response.close()
    return response.status_code, _writes([q["sql"] for q in captured.captured_queries])


def test_no_get_writes_a_row_or_takes_the_write_lock(world):
    failures: list[str] = []
    best: dict[str, int] = {}
    used: set[tuple[str, str]] = set()
    for route in _routes():
        for path in _paths(world, route):
            for actor in _actors(route):
                status, writes = _get(world, actor, path, route)
                best[route] = min(best.get(route, 999), status)
                for table, sql in writes:
                    if table and _allowed(route, table):
                        used.add((table, route))
                        continue
                    failures.append(f"GET {path} as {actor} ({status}): {sql[:200]}")
    assert failures == [], "\n".join(failures)

    # The test reaches every handler: each route answers some actor with a page, a redirect or JSON,
    # or refuses GET itself (405: it only takes POST, which may write).
    unreached = {
        route: status
        for route, status in best.items()
        if status >= 400 and status != 405 and EXPECTED_REFUSAL.get(route, (0, ""))[0] != status
    }
    assert unreached == {}, "give these routes parameters or actors that reach their handler"
    # Every exception is still needed: one that no route uses any more goes.
    assert set(ALLOWED) - {table for table, _route in used} == set()


def test_the_write_finder_sees_writes_and_empty_write_transactions():
    assert _writes(["SELECT 1", 'UPDATE "checkin_scannerdevice" SET "last_seen_at" = 1']) == [
        ("checkin_scannerdevice", 'UPDATE "checkin_scannerdevice" SET "last_seen_at" = 1')
    ]
    assert [t for t, _ in _writes(['INSERT INTO "checkin_ticket" ("code") VALUES (1)'])] == ["checkin_ticket"]
    assert [t for t, _ in _writes(["BEGIN IMMEDIATE", "SELECT 1", "COMMIT"])] == [WRITE_LOCK]
    assert [t for t, _ in _writes(["BEGIN IMMEDIATE", 'DELETE FROM "matching_meetingrequest"', "COMMIT"])] == [
        "matching_meetingrequest"
    ]
    assert [t for t, _ in _writes(['SELECT "x" FROM "checkin_ticket" FOR UPDATE'])] == [WRITE_LOCK]
    assert _writes(["SELECT 1", 'SELECT "updated_at" FROM "events_registration"']) == []


def test_reads_leave_expiry_tickets_and_last_seen_to_their_services(world):
    """The three reads that used to write, by name: what they show without writing."""
    actors = world.actors
    event = actors.event
    candidate = _client(world, "candidate")
    requests = candidate.get(f"/api/v1/matching/events/{event.slug}/requests").json()["items"]
    # The request that ran out reads as expired, although only the sweep writes that down.
    assert sorted(r["status"] for r in requests) == ["accepted", "expired"]
    assert MeetingRequest.objects.filter(status=MeetingRequest.Status.PENDING).count() == 1

    official = Registration.objects.get(event=event, user=actors.official)
    page = _client(world, "official").get(f"/me/registrations/{official.pk}/")
    assert "data-ticket-preparing" in page.content.decode() and "data-ticket-payload" not in page.content.decode()
    assert _client(world, "official").get(f"/checkin/tickets/{official.pk}.png").status_code == 404
    assert not Ticket.objects.filter(registration=official).exists()

    phone = _client(world, "scanner phone")
    assert phone.get("/api/v1/checkin/ping").json()["device"] is not None
    assert event.scanner_devices.get().last_seen_at is None
    integration = _client(world, "organiser's API token")
    assert integration.get(f"/api/v1/events/{event.slug}/registrations").status_code == 200
    assert actors.organiser.api_tokens.get().last_used_at is None
