"""Everything the platform holds about one person: one declared entry per model, as pretix's data shredders.

Each entry says which rows are about the person (exported by "download my data"), what erasure does
to them, and in a sentence why we keep them (shown on the privacy page). A model that points at a
person (their account, registration or ticket) and is not declared here must be listed in
`NOT_PERSONAL` with the reason; tests/privacy/test_registry.py walks every installed model and fails
otherwise, so a new model cannot quietly escape the export or the erasure.

Models of other apps are named by label and resolved with `apps.get_model`, so events/ imports no
checkin/ or matching/ code while this one file still reads as the whole list.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events import questionnaire_links
from events.erasure_steps import (
    ERASED,
    EraseStep,
    blank,
    delivery_rows,
    door_scans,
    erase_account,
    erase_admin_log,
    erase_badge_files,
    erase_consents,
    erase_deliveries,
    erase_devices,
    erase_profile,
    erase_registrations,
    erase_sessions,
    erase_stakeholder_interactions,
    erase_tasks,
    model_for,
    scrub_fields,
    stakeholder_contacts,
    stakeholder_interactions,
    tickets,
)
from events.models import User

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "explorers-events/personal-data/1"


@dataclass(frozen=True)
class Entry:
    label: str
    what: Promise
    rows: Callable[[User], QuerySet[Any]]
    erase: EraseStep | None = None
    hidden: tuple[str, ...] = ()
    extra: Callable[[Any], dict[str, Any]] | None = None

    @property
    def model(self) -> type[Model]:
        return model_for(self.label)


# --- The registry ----------------------------------------------------------------------------------

# Erasure runs in this order; the account comes last, since earlier steps look for its email and name.
ENTRIES: list[Entry] = [
    Entry(
        "events.Consent",
        _("Your consents: what you agreed to, the exact text version, when, from where, and when you withdrew."),
        lambda u: model_for("events.Consent").objects.filter(user=u),
        erase=erase_consents,
    ),
    Entry(
        "events.Registration",
        _("Your registrations: for which events, in which role and language. Needed to admit you and run the event."),
        lambda u: model_for("events.Registration").objects.filter(user=u),
        erase=erase_registrations,
        extra=lambda r: {"sessions": sorted(r.sessions.values_list("id", flat=True))},
    ),
    Entry(
        "events.Membership",
        _("Your place in an organisation: asked for, granted or refused, and by whom."),
        lambda u: model_for("events.Membership").objects.filter(user=u),
        erase=lambda u, e: model_for("events.Membership").objects.filter(user=u).delete()[0],
    ),
    Entry(
        "events.ApiToken",
        _("API tokens you created (their name and first characters; the secret itself is never kept)."),
        lambda u: model_for("events.ApiToken").objects.filter(user=u),
        erase=lambda u, e: model_for("events.ApiToken").objects.filter(user=u).delete()[0],
        hidden=("key_hash",),
    ),
    Entry(
        "events.FeedToken",
        _("Whether you have a private calendar feed address."),
        lambda u: model_for("events.FeedToken").objects.filter(user=u),
        erase=lambda u, e: model_for("events.FeedToken").objects.filter(user=u).delete()[0],
        hidden=("key",),
    ),
    Entry(
        "events.CalendarCopy",
        _("Which events and sessions your calendar was told about, so updates and cancellations reach it."),
        lambda u: model_for("events.CalendarCopy").objects.filter(user=u),
        erase=lambda u, e: model_for("events.CalendarCopy").objects.filter(user=u).delete()[0],
    ),
    Entry(
        "events.CalendarDelivery",
        _("Calendar invitations emailed to you, with their text, so none is sent twice."),
        delivery_rows,
        erase=erase_deliveries,
    ),
    Entry(
        "events.EmailLedger",
        _("Which emails were sent to you and when, so none is sent twice."),
        lambda u: model_for("events.EmailLedger").objects.filter(recipient__iexact=u.email),
        erase=lambda u, e: (
            model_for("events.EmailLedger")
            .objects.filter(recipient__iexact=u.email)
            .update(recipient=e.terms.tombstone_email)
        ),
    ),
    Entry(
        "events.Announcement",
        _("Announcements you sent to an event's attendees."),
        lambda u: model_for("events.Announcement").objects.filter(sent_by=u),
        # The text stays for the people who received it; who sent it, and the name in it, go.
        erase=lambda u, e: (
            scrub_fields(model_for("events.Announcement").objects.filter(sent_by=u), ("text", "translations"), e)
            + model_for("events.Announcement").objects.filter(sent_by=u).update(sent_by=None)
        ),
    ),
    Entry(
        "checkin.Ticket",
        _("Your tickets: the code in your QR and when you first came in."),
        tickets,
    ),
    Entry(
        "checkin.Scan",
        _("Each scan of your ticket at the door or a session: when, which gate, and the answer."),
        door_scans,
        erase=lambda u, e: scrub_fields(door_scans(u), ("payload", "response"), e),
    ),
    Entry(
        "checkin.SessionAttendance",
        _("Which sessions you attended (training programmes count these for certificates)."),
        lambda u: model_for("checkin.SessionAttendance").objects.filter(ticket__registration__user=u),
    ),
    Entry(
        "checkin.AttendanceMark",
        _("Trainers' corrections of your training attendance, with their reasons, and those you made as a trainer."),
        lambda u: model_for("checkin.AttendanceMark").objects.filter(Q(registration__user=u) | Q(by=u)),
        # The attendance record stays (completion counts it); the reasons about the person and the
        # trainer's name go.
        erase=lambda u, e: (
            blank(model_for("checkin.AttendanceMark").objects.filter(registration__user=u), reason="")
            + model_for("checkin.AttendanceMark").objects.filter(by=u).update(by=None)
        ),
    ),
    Entry(
        "checkin.ScannerDevice",
        _("Door phones you paired as door staff (name and first characters of the token)."),
        lambda u: model_for("checkin.ScannerDevice").objects.filter(created_by=u),
        erase=erase_devices,
        hidden=("key_hash",),
    ),
    Entry(
        "checkin.BadgeJob",
        _("Badge sheets you asked for as an organiser."),
        lambda u: model_for("checkin.BadgeJob").objects.filter(requested_by=u),
        erase=erase_badge_files,
    ),
    Entry(
        "matching.CandidateProfile",
        _("Your candidate profile and CV, shown to employers only where you consented."),
        lambda u: model_for("matching.CandidateProfile").objects.filter(user=u),
        erase=erase_profile,
        extra=lambda p: {"cv_base64": _file_base64(p.cv)},
    ),
    Entry(
        "matching.CandidateSkill",
        _("The skills and levels on your profile, used to suggest you to employers."),
        lambda u: model_for("matching.CandidateSkill").objects.filter(profile__user=u),
    ),
    Entry(
        "matching.CandidateLanguage",
        _("The languages on your profile."),
        lambda u: model_for("matching.CandidateLanguage").objects.filter(profile__user=u),
    ),
    Entry(
        "matching.Star",
        _("Employers you starred at a job fair."),
        lambda u: model_for("matching.Star").objects.filter(candidate=u),
    ),
    Entry(
        "matching.EmployerMark",
        _("Employers' marks on you (shortlisted, not now)."),
        lambda u: model_for("matching.EmployerMark").objects.filter(candidate=u),
    ),
    Entry(
        "matching.MeetingRequest",
        _("Meeting requests to or from you, with their messages."),
        lambda u: model_for("matching.MeetingRequest").objects.filter(Q(candidate=u) | Q(requested_by=u)),
        erase=lambda u, e: (
            model_for("matching.MeetingRequest")
            .objects.filter(Q(candidate=u) | Q(requested_by=u))
            .exclude(message="")
            .update(message="")
        ),
    ),
    Entry(
        "matching.Meeting",
        _("Your meetings at employers' booths."),
        lambda u: model_for("matching.Meeting").objects.filter(candidate=u),
    ),
    Entry(
        "matching.Lead",
        _("Employers' notes and ratings about you after meeting or scanning you."),
        lambda u: model_for("matching.Lead").objects.filter(candidate=u),
        # The notes about the person go; notes they wrote about others lose only their name.
        erase=lambda u, e: (
            blank(model_for("matching.Lead").objects.filter(candidate=u).exclude(note=""), note="")
            + scrub_fields(model_for("matching.Lead").objects.filter(captured_by=u), ("note",), e)
        ),
    ),
    Entry(
        "matching.Outcome",
        _("What a job fair led to with each employer (interviews, offers, placements) and your answers about it."),
        # No erase step: the outcome holds no text, and names nobody once the account is erased, so the
        # programme's counts hold.
        lambda u: model_for("matching.Outcome").objects.filter(candidate=u),
    ),
    Entry(
        "matching.OutcomeChange",
        _("The history of those outcomes: who changed what and when, with notes; and changes you recorded."),
        lambda u: model_for("matching.OutcomeChange").objects.filter(Q(outcome__candidate=u) | Q(actor=u)),
        # Notes about the person go; notes they wrote about others lose their name and their signature.
        erase=lambda u, e: (
            blank(model_for("matching.OutcomeChange").objects.filter(outcome__candidate=u).exclude(note=""), note="")
            + scrub_fields(model_for("matching.OutcomeChange").objects.filter(actor=u), ("note",), e)
            + blank(model_for("matching.OutcomeChange").objects.filter(actor=u), actor=None)
        ),
    ),
    Entry(
        "matching.CvView",
        _("Who opened your CV and when, and the CVs you opened."),
        lambda u: model_for("matching.CvView").objects.filter(Q(candidate=u) | Q(viewer=u)),
    ),
    Entry(
        "matching.BilateralWish",
        _("Institutions you asked to meet at a policy dialogue."),
        lambda u: model_for("matching.BilateralWish").objects.filter(official=u),
    ),
    Entry(
        "matching.BilateralBusy",
        _("Times you said you cannot meet at a policy dialogue."),
        lambda u: model_for("matching.BilateralBusy").objects.filter(official=u),
    ),
    Entry(
        "matching.Certificate",
        _(
            "Your training certificates: the name, programme, dates and skills they state, when they were issued "
            "and whether one was revoked; and certificates you issued or revoked as an organiser."
        ),
        lambda u: model_for("matching.Certificate").objects.filter(Q(user=u) | Q(issued_by=u) | Q(revoked_by=u)),
        # The certificate stays (the programme's certified count holds) but no longer names the person, so
        # its public check page names nobody either.
        erase=lambda u, e: (
            blank(model_for("matching.Certificate").objects.filter(user=u), name=ERASED, name_arabic="")
            + scrub_fields(model_for("matching.Certificate").objects.filter(user=u), ("revoked_reason",), e)
            + blank(model_for("matching.Certificate").objects.filter(issued_by=u), issued_by=None)
            + blank(model_for("matching.Certificate").objects.filter(revoked_by=u), revoked_by=None)
        ),
    ),
    Entry(
        "events.Interaction",
        _("Meetings, calls and visits with a programme's stakeholders that you took part in or recorded."),
        stakeholder_interactions,
        erase=erase_stakeholder_interactions,
        extra=lambda i: {"staff": sorted(i.staff.values_list("id", flat=True))},
    ),
    Entry(
        "events.QuestionnaireInvitation",
        _(
            "Personal links to a programme's questionnaires sent to you as an organisation's contact person: the "
            "address, language, and when each was sent, opened and reminded. Erasure removes your address and stops "
            "the link; the answers, which are the organisation's, stay."
        ),
        lambda u: questionnaire_links.invitations_of_person(u),
        erase=lambda u, e: questionnaire_links.invitations_forget(user=u),
        hidden=("token_hash",),
    ),
    Entry(
        "events.StakeholderContact",
        _(
            "Where a programme keeps you as a contact person of an organisation: name, role, email, phone and the "
            "consent you gave for it. Erasure removes you from the directory."
        ),
        stakeholder_contacts,
        erase=lambda u, e: stakeholder_contacts(u).delete()[0],
    ),
    Entry(
        "events.FollowUp",
        _("Follow-ups with a programme's stakeholders given to you, with their due date."),
        lambda u: model_for("events.FollowUp").objects.filter(owner=u),
        erase=lambda u, e: model_for("events.FollowUp").objects.filter(owner=u).update(owner=None),
    ),
    Entry(
        "admin.LogEntry",
        _("Changes you made in the organisers' admin."),
        lambda u: model_for("admin.LogEntry").objects.filter(user=u),
        erase=erase_admin_log,
    ),
    Entry(
        "sessions.Session",
        _("Your signed-in sessions (deleted when you are erased)."),
        lambda u: model_for("sessions.Session").objects.none(),
        erase=erase_sessions,
    ),
    Entry(
        "django_q.Task",
        _("Background jobs: they carry only record numbers, and any that names you is deleted on erasure."),
        lambda u: model_for("django_q.Task").objects.none(),
        erase=erase_tasks,
    ),
    # Programmes (issue 12): what a rapporteur wrote and who changed an action item stay the
    # programme's record; erasure takes the person's name off them.
    Entry(
        "events.Minutes",
        _("Minutes you were the rapporteur of or last changed (kept as the programme's record, without your name)."),
        lambda u: model_for("events.Minutes").objects.filter(Q(rapporteur=u) | Q(updated_by=u)),
        erase=lambda u, e: (
            model_for("events.Minutes").objects.filter(rapporteur=u).update(rapporteur=None)
            + model_for("events.Minutes").objects.filter(updated_by=u).update(updated_by=None)
        ),
    ),
    Entry(
        "events.ActionItem",
        _("Action items you recorded (kept as the programme's record, without your name)."),
        lambda u: model_for("events.ActionItem").objects.filter(created_by=u),
        erase=lambda u, e: model_for("events.ActionItem").objects.filter(created_by=u).update(created_by=None),
    ),
    Entry(
        "events.ActionItemUpdate",
        _("Changes and progress notes you made to action items (kept as their history, without your name)."),
        lambda u: model_for("events.ActionItemUpdate").objects.filter(author=u),
        erase=lambda u, e: model_for("events.ActionItemUpdate").objects.filter(author=u).update(author=None),
    ),
    Entry(
        "events.Questionnaire",
        _("Questionnaires you created (kept as the programme's, without your name)."),
        lambda u: model_for("events.Questionnaire").objects.filter(created_by=u),
        erase=lambda u, e: model_for("events.Questionnaire").objects.filter(created_by=u).update(created_by=None),
    ),
    # A training's assessments (issue 14): those about the person are theirs and go on erasure (their
    # completion then reads as not assessed); those they gave as a trainer stay, without their name.
    *(
        Entry(
            label,
            what,
            lambda u, label=label: model_for(label).objects.filter(Q(registration__user=u) | Q(by=u)),
            erase=lambda u, e, label=label: (
                model_for(label).objects.filter(registration__user=u).delete()[0]
                + model_for(label).objects.filter(by=u).update(by=None)
            ),
        )
        for label, what in (
            ("checkin.FinalAssessment", _("Your final assessment results in a training, and those you recorded.")),
            ("matching.SkillAssessment", _("Skill levels given to you in a training, and those you gave.")),
            ("matching.PracticalTaskScore", _("Your practical task scores in a training, and those you recorded.")),
        )
    ),
    Entry(
        "matching.TrainingSkill",
        _("Skills you added to a training's curriculum (kept, without your name)."),
        lambda u: model_for("matching.TrainingSkill").objects.filter(added_by=u),
        erase=lambda u, e: model_for("matching.TrainingSkill").objects.filter(added_by=u).update(added_by=None),
    ),
    # Sign-in attempts recorded by django-axes (staff password lockouts), where it is installed.
    *(
        Entry(
            label,
            _("Password sign-in attempts with your address: when, from which IP address and browser."),
            lambda u, label=label: model_for(label).objects.filter(username__iexact=u.email),
            erase=lambda u, e, label=label: model_for(label).objects.filter(username__iexact=u.email).delete()[0],
        )
        for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")
    ),
    Entry(
        "events.User",
        _("Your account: email, name, organisation, preferred language, when you joined and last signed in."),
        lambda u: User.objects.filter(pk=u.pk),
        erase=erase_account,
        hidden=("password",),
        extra=lambda u: {
            "has_password": u.has_usable_password(),
            "groups": sorted(u.groups.values_list("name", flat=True)),
        },
    ),
]

# Models that point at a person but hold nothing to export or erase, each with the reason.
NOT_PERSONAL: dict[str, str] = {
    "events.User_groups": "Exported with the account (its group names) and cleared on erasure.",
    "events.User_user_permissions": "Permissions are organisers' settings; cleared on erasure with the account.",
    "events.Registration_sessions": "Exported with each registration (its session ids); kept so session totals hold.",
    "events.Interaction_staff": "Exported with each interaction (its staff ids); erasure takes the person off it.",
    "events.Interaction_contacts": "Links a stakeholder interaction to a contact; goes with the contact on erasure.",
    "matching.ScheduleRun": "A run of the timetable tool; it only names the organiser who started it.",
    "django_q.Success": "The same table as django_q.Task, which is declared.",
    "django_q.Failure": "The same table as django_q.Task, which is declared.",
    "django_q.OrmQ": "The queue of django_q.Task; scrubbed with it.",
    "django_q.Schedule": "Periodic jobs set by the platform; scrubbed with django_q.Task.",
}


def active_entries() -> list[Entry]:
    """The entries whose app is installed (django-axes is optional), in erasure order."""
    return [e for e in ENTRIES if e.label.split(".")[0] in apps.app_configs]


def entry_for(label: str) -> Entry | None:
    return next((e for e in ENTRIES if e.label == label), None)


# --- Export ----------------------------------------------------------------------------------------


def _file_base64(file: FieldFile) -> str | None:
    if not file:
        return None
    try:
        with file.open("rb") as handle:
            return base64.b64encode(handle.read()).decode("ascii")
    except OSError:
        logger.warning("personal data export: file %s is missing from storage", file.name)
        return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def row_data(obj: Model, *, hidden: tuple[str, ...] = ()) -> dict[str, Any]:
    """One row as JSON-ready values: every concrete field but the hidden ones, foreign keys as ids."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in hidden:
            continue
        out[f.attname] = _jsonable(f.value_from_object(obj))
    return out


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Every row about the person across all apps, as one JSON-ready document."""
    data: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(active_entries(), key=lambda e: (e.label != "events.User", e.label)):
        rows = []
        for obj in entry.rows(user):
            row = row_data(obj, hidden=entry.hidden)
            if entry.extra is not None:
                row.update(entry.extra(obj))
            rows.append(row)
        data[entry.label] = rows
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "person": {"id": user.pk, "email": user.email, "full_name": user.full_name},
        "data": data,
    }


def personal_data_summary(*, user: User) -> list[dict[str, Any]]:
    """For the privacy page: what each kind of data is, why we keep it, and how many rows there are."""
    summary = []
    for entry in active_entries():
        count = entry.rows(user).count()
        if count:
            summary.append({"label": entry.label, "what": entry.what, "count": count})
    return summary
