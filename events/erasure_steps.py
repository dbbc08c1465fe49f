"""What erasure does to each kind of row: the steps events/personal_data.py's entries name.

Each step takes the person and the running `Erasure` (what identifies them in free text, and the
files to delete once the transaction commits) and returns how many rows it changed. They run inside
`events.privacy.person_erase`'s transaction, in the registry's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from events.models import User

ERASED = "[erased]"


def model_for(label: str) -> type[Model]:
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


def scrub_fields(qs: QuerySet[Any], names: tuple[str, ...], erasure: Erasure) -> int:
    touched = 0
    for obj in qs:
        changed = [n for n in names if erasure.terms.mentioned_in(getattr(obj, n))]
        for n in changed:
            setattr(obj, n, erasure.terms.scrub(getattr(obj, n)))
        if changed:
            obj.save(update_fields=changed)
            touched += 1
    return touched


def blank(qs: QuerySet[Any], **values: Any) -> int:
    return qs.update(**values)


def erase_account(user: User, erasure: Erasure) -> int:
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


def erase_consents(user: User, erasure: Erasure) -> int:
    # Through events.consents, the only writer of consents: the rows stay, dated, and the
    # registration flags the door and the boards read follow them.
    from events.consents import consent_withdraw

    count = 0
    for consent in (
        model_for("events.Consent").objects.filter(user=user, withdrawn_at__isnull=True).select_related("event")
    ):
        consent_withdraw(
            user=user, actor=user, event=consent.event, purpose=consent.purpose, source=consent.source, client="erasure"
        )
        count += 1
    return count


def erase_registrations(user: User, erasure: Erasure) -> int:
    # The rows stay (attendance and registration totals must not move); what the person ticked
    # without confirming goes. A seat at an event that has not started is given up through the
    # usual service, so the waitlist moves up: nobody is coming to use it.
    from events.services import registration_cancel

    Registration = model_for("events.Registration")
    regs = Registration.objects.filter(user=user)
    count = regs.exclude(pending_consents={}).update(pending_consents={})
    # What the person chose to say about themselves (gender, city) goes; the indicators' counts may move.
    count += regs.exclude(gender="", city="").update(gender="", city="")
    upcoming = regs.filter(event__starts_at__gt=timezone.now()).exclude(
        status__in=[Registration.Status.CANCELLED, Registration.Status.DECLINED]
    )
    for registration in upcoming:
        registration_cancel(registration=registration)
        count += 1
    return count


def erase_deliveries(user: User, erasure: Erasure) -> int:
    count = 0
    for delivery in delivery_rows(user):
        # Unique per recipient, UID and sequence: each row gets an address of its own.
        delivery.recipient = f"erased-{user.pk}.{delivery.pk}@erased.invalid"
        delivery.subject = ERASED
        delivery.body = ""
        delivery.ics = ""
        delivery.last_error = ""
        delivery.save(update_fields=["recipient", "subject", "body", "ics", "last_error"])
        count += 1
    return count


def delivery_rows(user: User) -> QuerySet[Any]:
    return model_for("events.CalendarDelivery").objects.filter(Q(user=user) | Q(recipient__iexact=user.email))


def erase_profile(user: User, erasure: Erasure) -> int:
    count = 0
    for profile in model_for("matching.CandidateProfile").objects.filter(user=user):
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


def erase_badge_files(user: User, erasure: Erasure) -> int:
    # A rendered badge PDF holds every attendee's name; organisers render it again when needed.
    events = model_for("events.Registration").objects.filter(user=user).values("event_id")
    jobs = model_for("checkin.BadgeJob").objects.filter(event_id__in=events).exclude(file="")
    count = 0
    for job in jobs:
        erasure.files.append(job.file)
        job.file = ""
        job.save(update_fields=["file"])
        count += 1
    return count


_DB_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def erase_sessions(user: User, erasure: Erasure) -> int:
    if (
        not settings.SESSION_ENGINE.startswith("django.contrib.sessions.backends.")
        or "db" not in settings.SESSION_ENGINE
    ):
        return 0  # other engines: the unusable password already invalidates the session's auth hash
    from django.contrib.sessions.models import Session

    doomed = [s.pk for s in Session.objects.iterator() if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)]
    return Session.objects.filter(pk__in=doomed).delete()[0]


def erase_tasks(user: User, erasure: Erasure) -> int:
    # Our tasks take primary keys, so this rarely finds anything; a third-party hook might not.
    terms = erasure.terms
    Task, OrmQ, Schedule = (model_for(f"django_q.{name}") for name in ("Task", "OrmQ", "Schedule"))
    tasks = [t.pk for t in Task.objects.iterator() if terms.mentioned_in((t.name, t.args, t.kwargs, t.result))]
    queued = [q.pk for q in OrmQ.objects.iterator() if terms.mentioned_in(q.task)]
    schedules = [s.pk for s in Schedule.objects.iterator() if terms.mentioned_in((s.args, s.kwargs))]
    count = Task.objects.filter(pk__in=tasks).delete()[0]
    count += OrmQ.objects.filter(pk__in=queued).delete()[0]
    count += Schedule.objects.filter(pk__in=schedules).delete()[0]
    return count


def erase_admin_log(user: User, erasure: Erasure) -> int:
    terms = erasure.terms
    query = Q(pk__in=[])
    for word in (terms.email, terms.name):
        if word:
            query |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
    return scrub_fields(model_for("admin.LogEntry").objects.filter(query), ("object_repr", "change_message"), erasure)


def erase_devices(user: User, erasure: Erasure) -> int:
    # The phones stop working, and their names ("Layla's phone") lose the person's name.
    devices = model_for("checkin.ScannerDevice").objects.filter(created_by=user)
    devices.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return scrub_fields(devices, ("name",), erasure)


def tickets(user: User) -> QuerySet[Any]:
    return model_for("checkin.Ticket").objects.filter(registration__user=user)


def door_scans(user: User) -> QuerySet[Any]:
    return model_for("checkin.Scan").objects.filter(ticket__registration__user=user)


def stakeholder_contacts(user: User) -> QuerySet[Any]:
    """Where a programme's stakeholder directory names the person: by their account or their address."""
    return model_for("events.StakeholderContact").objects.filter(Q(user=user) | Q(email__iexact=user.email))


def stakeholder_interactions(user: User) -> QuerySet[Any]:
    """Stakeholder interactions the person took part in (as staff or as a contact) or recorded."""
    return (
        model_for("events.Interaction")
        .objects.filter(Q(staff=user) | Q(recorded_by=user) | Q(contacts__in=stakeholder_contacts(user)))
        .distinct()
    )


def erase_stakeholder_interactions(user: User, erasure: Erasure) -> int:
    # The interaction stays in the programme's log; the person's name leaves its notes and its lists.
    rows = list(stakeholder_interactions(user))
    touched = scrub_fields(
        model_for("events.Interaction").objects.filter(pk__in=[r.pk for r in rows]), ("notes",), erasure
    )
    for row in rows:
        row.staff.remove(user)
    model_for("events.Interaction").objects.filter(recorded_by=user).update(recorded_by=None)
    return touched + len(rows)
