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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.models import User

logger = logging.getLogger(__name__)

ERASED = "[erased]"
EXPORT_FORMAT = "explorers-events/personal-data/1"


def _m(label: str) -> type[Model]:
    return apps.get_model(label)


@dataclass
class Terms:
    """What identifies the person in free text (their email and name), and what replaces them."""

    user_id: int
    email: str
    name: str
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, user: User) -> Terms:
        words = [w for w in (user.email, user.full_name.strip()) if w]
        pattern = None
        if words:
            # Whole words only: erasing "Ali" must not turn "Alice" into "[erased]ce".
            alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return cls(user.pk, user.email, user.full_name.strip(), pattern)

    @property
    def tombstone_email(self) -> str:
        return f"erased-{self.user_id}@erased.invalid"

    def mentioned_in(self, value: Any) -> bool:
        return self._pattern is not None and bool(self._pattern.search(_text(value)))

    def scrub(self, value: Any) -> Any:
        """`value` (text, or JSON of lists and dicts) with the person's email and name replaced."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self._pattern.sub(ERASED, value)
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        return value


def _text(value: Any) -> str:
    """Every string inside `value` (text, JSON, a task's pickled arguments), one per line."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_text(k) + "\n" + _text(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return "\n".join(_text(v) for v in value)
    return str(value)


@dataclass
class Erasure:
    """What one erasure collects while it runs: files to delete once the transaction commits."""

    terms: Terms
    files: list[FieldFile] = field(default_factory=list)


# What an entry's erase step does: change the person's rows, return how many it touched.
EraseStep = Callable[[User, Erasure], int]


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
        return _m(self.label)


# --- Erase steps -----------------------------------------------------------------------------------


def _scrub_fields(qs: QuerySet[Any], names: tuple[str, ...], erasure: Erasure) -> int:
    touched = 0
    for obj in qs:
        changed = [n for n in names if erasure.terms.mentioned_in(getattr(obj, n))]
        for n in changed:
            setattr(obj, n, erasure.terms.scrub(getattr(obj, n)))
        if changed:
            obj.save(update_fields=changed)
            touched += 1
    return touched


def _blank(qs: QuerySet[Any], **values: Any) -> int:
    return qs.update(**values)


def _erase_account(user: User, erasure: Erasure) -> int:
    user.email = erasure.terms.tombstone_email
    user.full_name = ""
    user.organisation = None
    user.is_active = False
    user.email_confirmed_at = None
    user.erased_at = timezone.now()
    user.set_unusable_password()
    # save(), not update(): the employer boards' roster and the door's names follow model signals.
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return 1


def _erase_consents(user: User, erasure: Erasure) -> int:
    # Through events.consents, the only writer of consents: the rows stay, dated, and the
    # registration flags the door and the boards read follow them.
    from events.consents import consent_withdraw

    count = 0
    for consent in _m("events.Consent").objects.filter(user=user, withdrawn_at__isnull=True).select_related("event"):
        consent_withdraw(
            user=user, actor=user, event=consent.event, purpose=consent.purpose, source=consent.source, client="erasure"
        )
        count += 1
    return count


def _erase_registrations(user: User, erasure: Erasure) -> int:
    # The rows stay (attendance and registration totals must not move); what the person ticked
    # without confirming goes. A seat at an event that has not started is given up through the
    # usual service, so the waitlist moves up: nobody is coming to use it.
    from events.services import registration_cancel

    Registration = _m("events.Registration")
    regs = Registration.objects.filter(user=user)
    count = regs.exclude(pending_consents={}).update(pending_consents={})
    upcoming = regs.filter(event__starts_at__gt=timezone.now()).exclude(
        status__in=[Registration.Status.CANCELLED, Registration.Status.DECLINED]
    )
    for registration in upcoming:
        registration_cancel(registration=registration)
        count += 1
    return count


def _erase_deliveries(user: User, erasure: Erasure) -> int:
    count = 0
    for delivery in _delivery_rows(user):
        # Unique per recipient, UID and sequence: each row gets an address of its own.
        delivery.recipient = f"erased-{user.pk}.{delivery.pk}@erased.invalid"
        delivery.subject = ERASED
        delivery.body = ""
        delivery.ics = ""
        delivery.last_error = ""
        delivery.save(update_fields=["recipient", "subject", "body", "ics", "last_error"])
        count += 1
    return count


def _delivery_rows(user: User) -> QuerySet[Any]:
    return _m("events.CalendarDelivery").objects.filter(Q(user=user) | Q(recipient__iexact=user.email))


def _erase_profile(user: User, erasure: Erasure) -> int:
    count = 0
    for profile in _m("matching.CandidateProfile").objects.filter(user=user):
        # Skills, languages, education and cities stay: the skills-gap figures count them, and
        # without a name or CV they no longer say who. The free text and the CV go.
        if profile.cv:
            erasure.files.append(profile.cv)
        profile.cv = ""
        profile.headline = ""
        profile.field_of_study = ""
        profile.save(update_fields=["cv", "headline", "field_of_study", "updated_at"])
        count += 1
    return count


def _erase_badge_files(user: User, erasure: Erasure) -> int:
    # A rendered badge PDF holds every attendee's name; organisers render it again when needed.
    events = _m("events.Registration").objects.filter(user=user).values("event_id")
    jobs = _m("checkin.BadgeJob").objects.filter(event_id__in=events).exclude(file="")
    count = 0
    for job in jobs:
        erasure.files.append(job.file)
        job.file = ""
        job.save(update_fields=["file"])
        count += 1
    return count


_DB_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def _erase_sessions(user: User, erasure: Erasure) -> int:
    if (
        not settings.SESSION_ENGINE.startswith("django.contrib.sessions.backends.")
        or "db" not in settings.SESSION_ENGINE
    ):
        return 0  # other engines: the unusable password already invalidates the session's auth hash
    from django.contrib.sessions.models import Session

    doomed = [s.pk for s in Session.objects.iterator() if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)]
    return Session.objects.filter(pk__in=doomed).delete()[0]


def _erase_tasks(user: User, erasure: Erasure) -> int:
    # Our tasks take primary keys, so this rarely finds anything; a third-party hook might not.
    terms = erasure.terms
    doomed = [
        t.pk for t in _m("django_q.Task").objects.iterator() if terms.mentioned_in((t.name, t.args, t.kwargs, t.result))
    ]
    count = _m("django_q.Task").objects.filter(pk__in=doomed).delete()[0]
    queued = [q.pk for q in _m("django_q.OrmQ").objects.iterator() if terms.mentioned_in(q.task)]
    count += _m("django_q.OrmQ").objects.filter(pk__in=queued).delete()[0]
    schedules = [s.pk for s in _m("django_q.Schedule").objects.iterator() if terms.mentioned_in((s.args, s.kwargs))]
    count += _m("django_q.Schedule").objects.filter(pk__in=schedules).delete()[0]
    return count


def _erase_admin_log(user: User, erasure: Erasure) -> int:
    terms = erasure.terms
    query = Q(pk__in=[])
    for word in (terms.email, terms.name):
        if word:
            query |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
    return _scrub_fields(_m("admin.LogEntry").objects.filter(query), ("object_repr", "change_message"), erasure)


def _erase_devices(user: User, erasure: Erasure) -> int:
    # The phones stop working, and their names ("Layla's phone") lose the person's name.
    devices = _m("checkin.ScannerDevice").objects.filter(created_by=user)
    devices.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return _scrub_fields(devices, ("name",), erasure)


def _tickets(user: User) -> QuerySet[Any]:
    return _m("checkin.Ticket").objects.filter(registration__user=user)


def _door_scans(user: User) -> QuerySet[Any]:
    return _m("checkin.Scan").objects.filter(ticket__registration__user=user)


# --- The registry ----------------------------------------------------------------------------------

# Erasure runs in this order; the account comes last, since earlier steps look for its email and name.
ENTRIES: list[Entry] = [
    Entry(
        "events.Consent",
        _("Your consents: what you agreed to, the exact text version, when, from where, and when you withdrew."),
        lambda u: _m("events.Consent").objects.filter(user=u),
        erase=_erase_consents,
    ),
    Entry(
        "events.Registration",
        _("Your registrations: for which events, in which role and language. Needed to admit you and run the event."),
        lambda u: _m("events.Registration").objects.filter(user=u),
        erase=_erase_registrations,
        extra=lambda r: {"sessions": sorted(r.sessions.values_list("id", flat=True))},
    ),
    Entry(
        "events.Membership",
        _("Your place in an organisation: asked for, granted or refused, and by whom."),
        lambda u: _m("events.Membership").objects.filter(user=u),
        erase=lambda u, e: _m("events.Membership").objects.filter(user=u).delete()[0],
    ),
    Entry(
        "events.ApiToken",
        _("API tokens you created (their name and first characters; the secret itself is never kept)."),
        lambda u: _m("events.ApiToken").objects.filter(user=u),
        erase=lambda u, e: _m("events.ApiToken").objects.filter(user=u).delete()[0],
        hidden=("key_hash",),
    ),
    Entry(
        "events.FeedToken",
        _("Whether you have a private calendar feed address."),
        lambda u: _m("events.FeedToken").objects.filter(user=u),
        erase=lambda u, e: _m("events.FeedToken").objects.filter(user=u).delete()[0],
        hidden=("key",),
    ),
    Entry(
        "events.CalendarCopy",
        _("Which events and sessions your calendar was told about, so updates and cancellations reach it."),
        lambda u: _m("events.CalendarCopy").objects.filter(user=u),
        erase=lambda u, e: _m("events.CalendarCopy").objects.filter(user=u).delete()[0],
    ),
    Entry(
        "events.CalendarDelivery",
        _("Calendar invitations emailed to you, with their text, so none is sent twice."),
        _delivery_rows,
        erase=_erase_deliveries,
    ),
    Entry(
        "events.EmailLedger",
        _("Which emails were sent to you and when, so none is sent twice."),
        lambda u: _m("events.EmailLedger").objects.filter(recipient__iexact=u.email),
        erase=lambda u, e: (
            _m("events.EmailLedger").objects.filter(recipient__iexact=u.email).update(recipient=e.terms.tombstone_email)
        ),
    ),
    Entry(
        "events.Announcement",
        _("Announcements you sent to an event's attendees."),
        lambda u: _m("events.Announcement").objects.filter(sent_by=u),
        # The text stays for the people who received it; who sent it, and the name in it, go.
        erase=lambda u, e: (
            _scrub_fields(_m("events.Announcement").objects.filter(sent_by=u), ("text", "translations"), e)
            + _m("events.Announcement").objects.filter(sent_by=u).update(sent_by=None)
        ),
    ),
    Entry(
        "checkin.Ticket",
        _("Your tickets: the code in your QR and when you first came in."),
        _tickets,
    ),
    Entry(
        "checkin.Scan",
        _("Each scan of your ticket at the door or a session: when, which gate, and the answer."),
        _door_scans,
        erase=lambda u, e: _scrub_fields(_door_scans(u), ("payload", "response"), e),
    ),
    Entry(
        "checkin.SessionAttendance",
        _("Which sessions you attended (training programmes count these for certificates)."),
        lambda u: _m("checkin.SessionAttendance").objects.filter(ticket__registration__user=u),
    ),
    Entry(
        "checkin.ScannerDevice",
        _("Door phones you paired as door staff (name and first characters of the token)."),
        lambda u: _m("checkin.ScannerDevice").objects.filter(created_by=u),
        erase=_erase_devices,
        hidden=("key_hash",),
    ),
    Entry(
        "checkin.BadgeJob",
        _("Badge sheets you asked for as an organiser."),
        lambda u: _m("checkin.BadgeJob").objects.filter(requested_by=u),
        erase=_erase_badge_files,
    ),
    Entry(
        "matching.CandidateProfile",
        _("Your candidate profile and CV, shown to employers only where you consented."),
        lambda u: _m("matching.CandidateProfile").objects.filter(user=u),
        erase=_erase_profile,
        extra=lambda p: {"cv_base64": _file_base64(p.cv)},
    ),
    Entry(
        "matching.CandidateSkill",
        _("The skills and levels on your profile, used to suggest you to employers."),
        lambda u: _m("matching.CandidateSkill").objects.filter(profile__user=u),
    ),
    Entry(
        "matching.CandidateLanguage",
        _("The languages on your profile."),
        lambda u: _m("matching.CandidateLanguage").objects.filter(profile__user=u),
    ),
    Entry(
        "matching.Star",
        _("Employers you starred at a job fair."),
        lambda u: _m("matching.Star").objects.filter(candidate=u),
    ),
    Entry(
        "matching.EmployerMark",
        _("Employers' marks on you (shortlisted, not now)."),
        lambda u: _m("matching.EmployerMark").objects.filter(candidate=u),
    ),
    Entry(
        "matching.MeetingRequest",
        _("Meeting requests to or from you, with their messages."),
        lambda u: _m("matching.MeetingRequest").objects.filter(Q(candidate=u) | Q(requested_by=u)),
        erase=lambda u, e: (
            _m("matching.MeetingRequest")
            .objects.filter(Q(candidate=u) | Q(requested_by=u))
            .exclude(message="")
            .update(message="")
        ),
    ),
    Entry(
        "matching.Meeting",
        _("Your meetings at employers' booths."),
        lambda u: _m("matching.Meeting").objects.filter(candidate=u),
    ),
    Entry(
        "matching.Lead",
        _("Employers' notes and ratings about you after meeting or scanning you."),
        lambda u: _m("matching.Lead").objects.filter(candidate=u),
        # The notes about the person go; notes they wrote about others lose only their name.
        erase=lambda u, e: (
            _blank(_m("matching.Lead").objects.filter(candidate=u).exclude(note=""), note="")
            + _scrub_fields(_m("matching.Lead").objects.filter(captured_by=u), ("note",), e)
        ),
    ),
    Entry(
        "matching.CvView",
        _("Who opened your CV and when, and the CVs you opened."),
        lambda u: _m("matching.CvView").objects.filter(Q(candidate=u) | Q(viewer=u)),
    ),
    Entry(
        "matching.BilateralWish",
        _("Institutions you asked to meet at a policy dialogue."),
        lambda u: _m("matching.BilateralWish").objects.filter(official=u),
    ),
    Entry(
        "admin.LogEntry",
        _("Changes you made in the organisers' admin."),
        lambda u: _m("admin.LogEntry").objects.filter(user=u),
        erase=_erase_admin_log,
    ),
    Entry(
        "sessions.Session",
        _("Your signed-in sessions (deleted when you are erased)."),
        lambda u: _m("sessions.Session").objects.none(),
        erase=_erase_sessions,
    ),
    Entry(
        "django_q.Task",
        _("Background jobs: they carry only record numbers, and any that names you is deleted on erasure."),
        lambda u: _m("django_q.Task").objects.none(),
        erase=_erase_tasks,
    ),
    # Sign-in attempts recorded by django-axes (staff password lockouts), where it is installed.
    *(
        Entry(
            label,
            _("Password sign-in attempts with your address: when, from which IP address and browser."),
            lambda u, label=label: _m(label).objects.filter(username__iexact=u.email),
            erase=lambda u, e, label=label: _m(label).objects.filter(username__iexact=u.email).delete()[0],
        )
        for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")
    ),
    Entry(
        "events.User",
        _("Your account: email, name, organisation, preferred language, when you joined and last signed in."),
        lambda u: User.objects.filter(pk=u.pk),
        erase=_erase_account,
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
