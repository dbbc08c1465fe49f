"""A person with data in every app, for the export and erasure tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_q.models import Task

from checkin import services as checkin_services
from checkin.models import Scan, ScannerDevice, SessionAttendance, Ticket
from checkin.selectors import event_for_scanning, ticket_payload
from events.consents import consent_set
from events.feeds import feed_token_for
from events.links import magic_token
from events.models import (
    Announcement,
    CalendarCopy,
    CalendarDelivery,
    Consent,
    EmailLedger,
    Event,
    Membership,
    Registration,
    User,
)
from matching import services as matching_services
from matching.models import (
    BilateralWish,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    EmployerMark,
    Lead,
    Meeting,
    MeetingRequest,
    Skill,
    Star,
)
from tests.conftest import make_token
from tests.factories import EventFactory, RegistrationFactory, SessionFactory

EMAIL = "layla.haddad@example.org"
NAME = "Layla Haddad"
PDF = b"%PDF-1.4\n% Layla Haddad's CV\n%%EOF\n"


@dataclass
class Person:
    user: User
    registration: Registration
    token: str
    feed_key: str
    magic: str
    cv_name: str
    device_token: str
    client: Client


def _skill() -> Skill:
    skill = Skill.objects.filter(slug="python").first()
    return skill or Skill.objects.create(slug="python-test", name="Python")


def person_everywhere(actors) -> Person:
    """Layla, a candidate at the actors' job fair (happening now) and an official at a dialogue."""
    now = timezone.now()
    event = actors.event
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=6), status=Event.Status.LIVE
    )
    event.refresh_from_db()
    user = User.objects.create_user(EMAIL, full_name=NAME, organisation=actors.org_b, email_confirmed_at=now)
    registration = RegistrationFactory(
        event=event, user=user, role=Registration.Role.CANDIDATE, pending_consents={"attendee_list": "v1"}
    )
    dialogue = EventFactory(kind=Event.Kind.DIALOGUE)
    RegistrationFactory(event=dialogue, user=user, role=Registration.Role.OFFICIAL, delegation="IQ")

    # events
    Membership.objects.create(user=user, organisation=actors.org_b)
    consent_set(user=user, actor=user, event=event, purpose=Consent.Purpose.SHARE_PROFILE, given=True, source="page")
    EmailLedger.objects.create(key=f"confirm:{registration.pk}:registered:", recipient=EMAIL)
    token = make_token(user, name="Layla's phone")
    feed_key = feed_token_for(user).key
    CalendarCopy.objects.create(user=user, uid=f"event-{event.pk}@test", kind="event", object_id=event.pk, event=event)
    CalendarDelivery.objects.create(
        recipient=EMAIL,
        uid=f"event-{event.pk}@test",
        sequence=0,
        method="REQUEST",
        user=user,
        event=event,
        subject=f"Invitation for {NAME}",
        body=f"Dear {NAME},",
        ics=f"ATTENDEE;CN={NAME}:mailto:{EMAIL}",
    )
    Announcement.objects.create(event=event, text=f"Welcome from {NAME}! Ask me anything.", sent_by=user)

    # checkin: the door and a session scan her ticket; she paired a phone once
    ticket = checkin_services.ticket_issue(registration=registration)
    module = SessionFactory(event=event, title="Module 1", starts_at=now - timedelta(minutes=30))
    scanning = event_for_scanning(slug=event.slug)
    checkin_services.checkin_scan(event=scanning, payload=ticket_payload(ticket), user=actors.organiser)
    checkin_services.checkin_scan(event=scanning, payload=ticket_payload(ticket), session=module, user=actors.organiser)
    _device, device_token = checkin_services.device_create(event=event, name=f"{NAME}'s phone", created_by=user)

    # matching
    profile = CandidateProfile.objects.create(user=user, headline=f"{NAME}, Python developer")
    profile.cv.save("cv.pdf", ContentFile(PDF))
    CandidateSkill.objects.create(profile=profile, skill=_skill(), level=4)
    CandidateLanguage.objects.create(profile=profile, language="ar", level=5)
    Star.objects.create(event=event, candidate=user, organisation=actors.org_a)
    EmployerMark.objects.create(
        event=event, organisation=actors.org_a, candidate=user, kind="shortlist", created_by=actors.employer_a
    )
    request = MeetingRequest.objects.create(
        event=event,
        organisation=actors.org_a,
        candidate=user,
        requested_by=actors.employer_a,
        message=f"Hello {NAME}, shall we talk?",
        expires_at=now + timedelta(minutes=15),
    )
    Meeting.objects.create(
        event=event,
        organisation=actors.org_a,
        candidate=user,
        request=request,
        slot=1,
        starts_at=now,
        ends_at=now + timedelta(minutes=10),
    )
    Lead.objects.create(
        event=event,
        organisation=actors.org_a,
        candidate=user,
        rating=5,
        note=f"{NAME} ({EMAIL}) knows Django well",
        captured_by=actors.employer_a,
    )
    matching_services.cv_view_record(candidate_id=user.pk, viewer=actors.employer_a)
    BilateralWish.objects.create(event=dialogue, official=user, counterpart=actors.org_a, weight=4)

    # Django's and django-q2's own tables
    LogEntry.objects.create(
        user=actors.organiser,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["email"]}}}}] {EMAIL}',
    )
    Task.objects.create(
        id="task-layla",
        name="mail-layla",
        func="events.tasks.send_registration_confirmation",
        args=(EMAIL,),
        started=now,
        stopped=now,
        success=True,
    )
    # A mistyped password: django-axes keeps the attempt under her address.
    AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="10.1.2.3",
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/me/sign-in/",
        get_data="",
        post_data=f"username={EMAIL}",
        failures_since_start=1,
    )
    client = Client()
    client.force_login(user)
    client.get("/me/privacy/")
    return Person(user, registration, token, feed_key, magic_token(registration), profile.cv.name, device_token, client)


def totals(event: Event) -> dict[str, int]:
    """What organisers count: must not move when a person is erased."""
    return {
        "registrations": Registration.objects.filter(event=event).count(),
        "tickets": Ticket.objects.filter(event=event).count(),
        "inside": Ticket.objects.filter(event=event, inside=True).count(),
        "attendance": SessionAttendance.objects.filter(session__event=event).count(),
        "scans": Scan.objects.filter(event=event).count(),
        "skills": CandidateSkill.objects.count(),
        "meetings": Meeting.objects.filter(event=event).count(),
        "devices": ScannerDevice.objects.filter(event=event).count(),
    }
