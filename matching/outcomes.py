"""What the fair led to: the one module that records outcomes, answers for candidates, reminds employers
and counts outcomes for the programme indicators.

An outcome is one row per (fair, candidate, employer organisation). Its stage moves only along
`TRANSITIONS`; anything else is refused with `invalid_transition` (409), whoever asks. Each change is
one transaction with the row locked and one `OutcomeChange` (who, when, from, to, note).

Who may do what (least privilege):
- the employer, i.e. a granted member of the organisation registered at the fair (the board's gate,
  `selectors.employer_organisation_required`), records and moves its own organisation's outcomes, for
  a candidate it met (a meeting, a lead, a request) or who is visible to employers there;
- the candidate answers "Did this happen?" about the current stage of their own outcomes;
- organisers read everything; nobody else reads anything, and one employer never learns about a
  candidate's outcomes with another.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.exceptions import InvalidTransition
from events.memberships import granted_exists
from events.models import EmailLedger, Event, Organisation, Registration, User
from events.selectors import is_organiser
from events.tasks import enqueue_email, send_or_retry
from matching import exceptions as exc
from matching import selectors
from matching.models import Lead, Meeting, MeetingRequest
from matching.outcome_models import Outcome, OutcomeChange

Stage = Outcome.Stage

# What may follow what. Started and declined are final: a placement that ended later is a new story,
# not an edit of this one. An employer may record straight away what happened last (an offer made at
# the booth is an offer), so a new outcome may start at any stage before accepted.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.INVITED: frozenset({Stage.INTERVIEWED, Stage.OFFER, Stage.DECLINED}),
    Stage.INTERVIEWED: frozenset({Stage.OFFER, Stage.DECLINED}),
    Stage.OFFER: frozenset({Stage.ACCEPTED, Stage.DECLINED}),
    Stage.ACCEPTED: frozenset({Stage.STARTED, Stage.DECLINED}),
    Stage.STARTED: frozenset(),
    Stage.DECLINED: frozenset(),
}
INITIAL = frozenset({Stage.INVITED, Stage.INTERVIEWED, Stage.OFFER})
# The forward path; reaching a stage also dates the ones before it that were skipped.
PATH = (Stage.INVITED, Stage.INTERVIEWED, Stage.OFFER, Stage.ACCEPTED, Stage.STARTED)
MILESTONE = {stage: f"{stage}_at" for stage in (*PATH, Stage.DECLINED)}
PLACED = (Stage.ACCEPTED, Stage.STARTED)
COUNTRY = re.compile(r"^[A-Za-z]{2}$")
NOTE_MAX = 1000

# Reminders to employers after a fair: (weeks after its end, until when it is still worth sending).
REMINDERS = ((2, timedelta(weeks=2), timedelta(weeks=6)), (6, timedelta(weeks=6), timedelta(weeks=8)))


# --- Who may see what ---------------------------------------------------------------------------------


def outcomes_visible(*, user: Any, event: Event) -> QuerySet[Outcome]:
    """The outcomes of `event` that `user` may read: organisers all, a granted employer its own
    organisation's, a candidate their own, anybody else none."""
    qs = Outcome.objects.filter(event=event).select_related("candidate", "organisation")
    if is_organiser(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    organisation = selectors.employer_organisation_at(user=user, event=event)
    if organisation is not None:
        return qs.filter(organisation=organisation)
    return qs.filter(candidate_id=user.pk)


def outcomes_of_candidate(*, user: Any) -> QuerySet[Outcome]:
    """A signed-in person's own outcomes at every fair, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Outcome.objects.none()
    return Outcome.objects.filter(candidate_id=user.pk).select_related("event", "organisation")


def _may_record_for(*, event: Event, organisation: Organisation, candidate_id: int) -> bool:
    """An employer records outcomes for people it met at the fair or could see there, nobody else."""
    if selectors.candidate_visible_to_employers(event=event, user_id=candidate_id):
        return True
    pair = {"event": event, "organisation": organisation, "candidate_id": candidate_id}
    return (
        Lead.objects.filter(**pair).exists()
        or Meeting.objects.filter(**pair).exists()
        or MeetingRequest.objects.filter(**pair).exists()
        or Outcome.objects.filter(**pair).exists()
    )


# --- Changes ----------------------------------------------------------------------------------------


def transition_refusal(*, current: str | None, new: str) -> str | None:
    """Why an outcome at stage `current` (None: not recorded yet) cannot move to `new`, or None."""
    if current is None:
        if new in INITIAL:
            return None
        return _("Record an interview invitation, an interview or an offer first.")
    if new in TRANSITIONS.get(current, frozenset()):
        return None
    if current in (Stage.STARTED, Stage.DECLINED):
        return _("This outcome is closed; its stage no longer changes.")
    if new == current:
        return _("The outcome is already at this stage.")
    return _("An outcome moves from invited to interviewed, offer, accepted and started, or is declined.")


def _offer_fields(*, offer_kind: str, offer_country: str, work_mode: str) -> dict[str, str]:
    errors = {}
    if offer_kind not in Outcome.OfferKind.values:
        errors["offer_kind"] = _("Choose internship or job.")
    if not COUNTRY.match(offer_country or ""):
        errors["offer_country"] = _("Give the country as a two-letter code, e.g. LT or IQ.")
    if work_mode not in Outcome.WorkMode.values:
        errors["work_mode"] = _("Choose remote or on site.")
    if errors:
        raise exc.InvalidInput(" ".join(errors.values()))
    return {"offer_kind": offer_kind, "offer_country": offer_country.upper(), "work_mode": work_mode}


def outcome_record(
    *,
    event: Event,
    actor: Any,
    candidate_id: int,
    stage: str,
    offer_kind: str = "",
    offer_country: str = "",
    work_mode: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Outcome:
    """An employer records that its outcome with a candidate reached `stage` (an offer needs its kind,
    country and work mode). Returns the outcome; refusals raise with a stable code."""
    organisation = selectors.employer_organisation_required(user=actor, event=event)
    if event.kind != Event.Kind.JOB_FAIR:
        raise exc.NotFound(_("Outcomes are recorded for job fairs."))
    if stage not in Stage.values:
        raise exc.InvalidInput(_("Unknown stage."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise exc.InvalidInput(_("The note is too long (at most 1,000 characters)."))
    offer = {}
    if stage == Stage.OFFER:
        offer = _offer_fields(offer_kind=offer_kind, offer_country=offer_country, work_mode=work_mode)
    if not User.objects.filter(pk=candidate_id, is_active=True).exists() or not _may_record_for(
        event=event, organisation=organisation, candidate_id=candidate_id
    ):
        raise exc.NotFound(_("Not found."))
    now = now or timezone.now()
    change = {"stage": stage, "offer": offer, "note": note, "actor": actor, "now": now}
    try:
        return _record(event=event, organisation=organisation, candidate_id=candidate_id, **change)
    except IntegrityError:
        # Two members recorded the first stage of the same outcome at once and this one lost the
        # insert: the row exists now, so reading it again moves it (or refuses) like any later change.
        return _record(event=event, organisation=organisation, candidate_id=candidate_id, **change)


def _record(
    *,
    event: Event,
    organisation: Organisation,
    candidate_id: int,
    stage: str,
    offer: dict[str, str],
    note: str,
    actor: Any,
    now: datetime,
) -> Outcome:
    with transaction.atomic():
        outcome = (
            Outcome.objects.select_for_update()
            .filter(event=event, organisation=organisation, candidate_id=candidate_id)
            .first()
        )
        current = outcome.stage if outcome else None
        refusal = transition_refusal(current=current, new=stage)
        if refusal:
            raise InvalidTransition(refusal)
        if outcome is None:
            outcome = Outcome(event=event, organisation=organisation, candidate_id=candidate_id)
        outcome.stage = stage
        for name, value in offer.items():
            setattr(outcome, name, value)
        if stage in PATH:
            for earlier in PATH[: PATH.index(stage) + 1]:
                if getattr(outcome, MILESTONE[earlier]) is None:
                    setattr(outcome, MILESTONE[earlier], now)
        else:
            outcome.declined_at = now
        outcome.confirmation = Outcome.Confirmation.PENDING
        outcome.save()
        OutcomeChange.objects.create(
            outcome=outcome, actor=actor, at=now, from_stage=current or "", to_stage=stage, note=note
        )
    return outcome


def outcome_answer(
    *, outcome_id: int, actor: Any, stage: str, happened: bool, note: str = "", now: datetime | None = None
) -> Outcome:
    """The candidate answers "Did this happen?" about the stage they were shown (`stage`): confirmed,
    or not correct. A stage that moved since is refused (`outcome_changed`), so nobody confirms what
    they did not see."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise exc.InvalidInput(_("The note is too long (at most 1,000 characters)."))
    now = now or timezone.now()
    answer = Outcome.Confirmation.CONFIRMED if happened else Outcome.Confirmation.DISPUTED
    with transaction.atomic():
        outcome = Outcome.objects.select_for_update().filter(pk=outcome_id).first()
        if outcome is None or not getattr(actor, "is_authenticated", False) or outcome.candidate_id != actor.pk:
            raise exc.NotFound(_("Not found."))
        if outcome.stage != stage:
            raise exc.MatchingError(
                _("The employer changed this outcome since you opened the page; look at it again."),
                code="outcome_changed",
                status=409,
            )
        if outcome.confirmation == answer and not note:
            return outcome  # the same answer twice (a double tap): nothing new to record
        outcome.confirmation = answer
        outcome.save(update_fields=["confirmation", "updated_at"])
        kind = OutcomeChange.Kind.CONFIRMED if happened else OutcomeChange.Kind.DISPUTED
        OutcomeChange.objects.create(
            outcome=outcome, kind=kind, actor=actor, at=now, from_stage=stage, to_stage=stage, note=note
        )
    return outcome


# --- Figures for the programme indicators ------------------------------------------------------------


def outcome_counts(*, events: Iterable[Event | int]) -> dict[str, Any]:
    """Outcomes of these events (fairs), for the programme indicators.

    Outcomes the candidate said are not correct are left out of every figure (and counted in
    `disputed`). A stage counts once reached, even if declined later: an outcome recorded straight as
    an offer counts as an interview too. Answers:

    {
        "outcomes": n,                  # outcomes counted (not disputed)
        "candidates_with_outcome": n,   # distinct candidates with at least one
        "interview_invitations": n,     # outcomes that reached "invited" or beyond
        "interviews": n,                # ... "interviewed" or beyond
        "offers": n,                    # ... an offer
        "offers_by_type": {"internship": n, "job": n},
        "placements": n,                # outcomes now at accepted or started
        "candidates_placed": n,         # distinct candidates placed
        "placements_by_type": {"internship": n, "job": n},
        "placements_by_country": {"LT": n, "IQ": n, ...},   # only countries with placements
        "placements_by_mode": {"on_site": n, "remote": n},
        "started": n,                   # placements where work has started
        "declined": n,                  # outcomes ended as declined
        "confirmed_placements": n,      # placements the candidate confirmed
        "disputed": n,                  # outcomes left out: the candidate said "not correct"
        "met_employer": n,              # distinct candidates who met an employer: a meeting that took
                                        # place, a booth lead, or an outcome
    }
    """
    event_ids = sorted({e if isinstance(e, int) else e.pk for e in events})
    rows = list(
        Outcome.objects.filter(event_id__in=event_ids).values_list(
            "candidate_id", "stage", "offer_kind", "offer_country", "work_mode", "confirmation",
            "invited_at", "interviewed_at", "offer_at",
        )
    )  # fmt: skip
    counted = [r for r in rows if r[5] != Outcome.Confirmation.DISPUTED]
    placed = [r for r in counted if r[1] in PLACED]
    offers = [r for r in counted if r[8] is not None]
    kinds = Outcome.OfferKind.values
    modes = Outcome.WorkMode.values
    met = set(
        Meeting.objects.filter(event_id__in=event_ids, status=Meeting.Status.CONFIRMED)
        .exclude(source=Meeting.Source.BILATERAL)
        .values_list("candidate_id", flat=True)
    )
    met |= set(Lead.objects.filter(event_id__in=event_ids).values_list("candidate_id", flat=True))
    met |= {r[0] for r in counted}
    return {
        "outcomes": len(counted),
        "candidates_with_outcome": len({r[0] for r in counted}),
        "interview_invitations": sum(1 for r in counted if r[6] is not None),
        "interviews": sum(1 for r in counted if r[7] is not None),
        "offers": len(offers),
        "offers_by_type": {k: sum(1 for r in offers if r[2] == k) for k in kinds},
        "placements": len(placed),
        "candidates_placed": len({r[0] for r in placed}),
        "placements_by_type": {k: sum(1 for r in placed if r[2] == k) for k in kinds},
        "placements_by_country": dict(sorted(Counter(r[3] for r in placed if r[3]).items())),
        "placements_by_mode": {m: sum(1 for r in placed if r[4] == m) for m in modes},
        "started": sum(1 for r in placed if r[1] == Stage.STARTED),
        "declined": sum(1 for r in counted if r[1] == Stage.DECLINED),
        "confirmed_placements": sum(1 for r in placed if r[5] == Outcome.Confirmation.CONFIRMED),
        "disputed": len(rows) - len(counted),
        "met_employer": len(met),
    }


# --- Reminders to employers ------------------------------------------------------------------------------


def _reminder_key(*, event_id: int, organisation_id: int, weeks: int, user_id: int) -> str:
    return f"outcome-reminder:{event_id}:{organisation_id}:{weeks}w:{user_id}"


def _representatives() -> QuerySet[Registration]:
    """Who reads an employer's outcomes page: granted members registered at the fair for it (the
    registration's organisation, else the person's, as on the board), with it as `acting_org_id`."""
    return (
        Registration.objects.filter(role=Registration.Role.EMPLOYER, status=Registration.Status.REGISTERED)
        .filter(user__is_active=True, user__erased_at__isnull=True)
        .annotate(acting_org_id=Coalesce("organisation_id", "user__organisation_id"))
        .filter(granted_exists(organisation="acting_org_id"))
    )


def reminder_due(*, ended_at: datetime, now: datetime) -> int | None:
    """Which reminder (2 or 6 weeks) is due for a fair that ended at `ended_at`, or None.

    Each is sent within its window only, so a worker that was down catches up, and a fair long past
    is left alone; the six-week reminder replaces a two-week one not sent in time.
    """
    for weeks, since, until in REMINDERS:
        if ended_at + since <= now < ended_at + until:
            return weeks
    return None


def outcome_reminders(now: datetime | None = None) -> int:
    """Daily task (schedule in migration 0009): queue the reminders due to employers of past fairs.

    Each representative gets each reminder once per fair: the email ledger's key says so, here (no
    second queueing) and in the sending task (a task that runs twice sends once). Returns how many
    were queued.
    """
    now = now or timezone.now()
    fairs = Event.objects.filter(
        kind=Event.Kind.JOB_FAIR,
        ends_at__lte=now - REMINDERS[0][1],
        ends_at__gt=now - REMINDERS[-1][2],
    ).exclude(status=Event.Status.DRAFT)
    queued = 0
    for event in fairs:
        weeks = reminder_due(ended_at=event.ends_at, now=now)
        if weeks is None:
            continue
        for reg in _representatives().filter(event=event).order_by("pk"):
            key = _reminder_key(event_id=event.pk, organisation_id=reg.acting_org_id, weeks=weeks, user_id=reg.user_id)
            if EmailLedger.objects.filter(key=key).exists():
                continue
            enqueue_email(send_outcome_reminder, reg.pk, weeks)
            queued += 1
    return queued


def render_outcome_reminder(registration: Registration, weeks: int) -> EmailMultiAlternatives:
    """The reminder, in the representative's language, with a link to their outcomes page."""
    event = registration.event
    context = {
        "event": event,
        "person": registration.user,
        "organisation": Organisation.objects.get(pk=registration.acting_org_id),
        "weeks": weeks,
        "outcomes_count": Outcome.objects.filter(event=event, organisation_id=registration.acting_org_id).count(),
        "page_url": settings.SITE_URL + reverse("matching:outcomes", args=[event.slug]),
        "site_url": settings.SITE_URL,
    }
    language = registration.language or registration.user.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(event.tzinfo):
        subject = " ".join(render_to_string("emails/outcome_reminder_subject.txt", context).split())
        text = render_to_string("emails/outcome_reminder.txt", context)
        html = render_to_string("emails/outcome_reminder.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[registration.user.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message


def send_outcome_reminder(registration_id: int, weeks: int, attempt: int = 1) -> bool:
    """Task: remind one representative, once per fair and reminder, while they still speak for the employer."""
    registration = _representatives().select_related("event", "user").filter(pk=registration_id).first()
    if registration is None:
        return False  # left, removed from the organisation or erased since: nothing to remind
    key = _reminder_key(
        event_id=registration.event_id,
        organisation_id=registration.acting_org_id,
        weeks=weeks,
        user_id=registration.user_id,
    )
    return send_or_retry(
        send_outcome_reminder,
        (registration_id, weeks),
        attempt=attempt,
        key=key,
        recipient=registration.user.email,
        build=lambda: render_outcome_reminder(registration, weeks),
    )
