"""Writes for meeting requests and booth meetings: request, accept (book a slot), decline, cancel,
expire, confirm at the table, no-show and refill from standby.

Each service is one transaction. Bookings lock the employer's booth row so two accepts for one
employer queue up instead of racing for a table; the partial unique constraints on Meeting are the
backstop that makes a double booking impossible even if a lock is missing (e.g. SQLite's
IMMEDIATE transactions already serialise writers).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Organisation, User
from matching import adapters, live_counts, meeting_mail, selectors
from matching import exceptions as exc
from matching.models import Booth, FairConfig, Meeting, MeetingRequest, Opening
from realtime.groups import employer_board_stream, user_stream
from realtime.publish import publish_on_commit


def _config(event: Event) -> FairConfig:
    cfg = selectors.fair_config(event=event)
    if cfg is None:
        raise exc.NoFairConfig(_("Meetings are not set up for this event yet."))
    return cfg


def request_payload(req: MeetingRequest) -> dict[str, Any]:
    return {
        "id": req.pk,
        "event": req.event.slug,
        "organisation": {"id": req.organisation_id, "name": req.organisation.name},
        "candidate_id": req.candidate_id,
        "opening": {"id": req.opening_id, "title": req.opening.title} if req.opening_id else None,
        "sent_by": req.sent_by,
        "status": req.status,
        "message": req.message,
        "expires_at": req.expires_at.isoformat(),
    }


def meeting_payload(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "event": m.event.slug,
        "organisation": {"id": m.organisation_id, "name": m.organisation.name},
        "candidate_id": m.candidate_id,
        "opening_id": m.opening_id,
        "slot": m.slot,
        "table": m.table,
        "starts_at": m.starts_at.isoformat(),
        "ends_at": m.ends_at.isoformat(),
        "status": m.status,
        "source": m.source,
        "candidate_confirmed": m.candidate_confirmed_at is not None,
        "employer_confirmed": m.employer_confirmed_at is not None,
    }


def _tell_both(event: Event, organisation_id: int, candidate_id: int, type: str, data: dict[str, Any]) -> None:
    publish_on_commit(user_stream(candidate_id), type, data)
    publish_on_commit(employer_board_stream(event.slug, organisation_id), type, data)
    if type.startswith("meeting_request."):
        # The employer's rows for this candidate say "request sent, answer by …" or stop saying it.
        from matching import board

        transaction.on_commit(
            lambda: board.request_changed(event=event, organisation_id=organisation_id, candidate_id=candidate_id),
            robust=True,
        )
    if type.startswith("meeting."):
        # Booked or freed: the board's no-meeting bonus follows, after the commit.
        from matching import board

        transaction.on_commit(lambda: board.meetings_changed(event=event, candidate_id=candidate_id), robust=True)
        # And the control room's figures (requests alone do not move them).
        live_counts.meetings_changed(event_id=event.pk)


@transaction.atomic
def meeting_request_create(
    *,
    event: Event,
    organisation: Organisation,
    candidate: User,
    sent_by: str,
    requested_by: User,
    opening: Opening | None = None,
    message: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    """Ask for a meeting, from either side; caps and duplicates are refused with a stable code."""
    now = now or timezone.now()
    cfg = _config(event)
    if sent_by not in MeetingRequest.From.values:
        raise exc.InvalidInput(_("Unknown sender."))
    if not selectors.candidate_visible_to_employers(event=event, user_id=candidate.pk):
        raise exc.NoConsent(_("No such candidate."))
    if opening is not None and (opening.event_id != event.pk or opening.organisation_id != organisation.pk):
        raise exc.InvalidInput(_("That opening belongs to another employer or event."))
    if not Booth.objects.filter(event=event, organisation=organisation).exists():
        raise exc.NotFound(_("This employer has no booth at the fair."))
    pair = MeetingRequest.objects.filter(event=event, organisation=organisation, candidate=candidate)
    # The pair's request that ran out reads as expired already (selectors); write that down here,
    # in this transaction, so that the new request is the pair's one pending row.
    _expire(pair.filter(status=MeetingRequest.Status.PENDING, expires_at__lte=now))
    if pair.filter(status=MeetingRequest.Status.PENDING).exists():
        raise exc.DuplicateRequest(_("A request between you is already waiting for an answer."))
    if selectors.active_meetings(event=event).filter(organisation=organisation, candidate=candidate).exists():
        raise exc.AlreadyMeeting(_("You already have a meeting together."))
    if selectors.active_meetings(event=event).filter(candidate=candidate).count() >= cfg.candidate_meeting_limit:
        raise exc.MeetingLimitReached(_("This candidate's meeting list is full."))
    org_open, cand_open = selectors.open_request_counts(
        event=event, organisation_id=organisation.pk, candidate_id=candidate.pk
    )
    if org_open >= cfg.employer_open_requests:
        raise exc.RequestCapReached(_("This employer has too many open requests; try again in a few minutes."))
    if cand_open >= cfg.candidate_open_requests:
        raise exc.RequestCapReached(_("This candidate has too many open requests; try again in a few minutes."))
    req = MeetingRequest.objects.create(
        event=event,
        organisation=organisation,
        candidate=candidate,
        opening=opening,
        sent_by=sent_by,
        requested_by=requested_by,
        message=(message or "")[:280],
        created_at=now,
        expires_at=request_expiry(cfg=cfg, organisation=organisation, candidate=candidate, now=now),
    )
    _tell_both(event, organisation.pk, candidate.pk, "meeting_request.created", request_payload(req))
    meeting_mail.request_sent(req)
    return req


def request_expiry(*, cfg: FairConfig, organisation: Organisation, candidate: User, now: datetime) -> datetime:
    """When a new request expires: long enough to answer from the email (`request_expiry_minutes`),
    short (`request_expiry_on_site_minutes`) while the candidate and the employer are both inside
    the venue, and never after the fair's meetings end."""
    minutes = cfg.request_expiry_minutes
    if adapters.both_at_fair(event=cfg.event, candidate_id=candidate.pk, organisation_id=organisation.pk):
        minutes = min(minutes, cfg.request_expiry_on_site_minutes)
    expires_at = now + timedelta(minutes=minutes)
    return min(expires_at, cfg.ends_at) if cfg.ends_at > now else expires_at


def _free_slot(*, cfg: FairConfig, booth: Booth, candidate_id: int, from_slot: int) -> tuple[int, int] | None:
    """The employer's next (slot, table) from `from_slot` on where the candidate is free too."""
    event_id = cfg.event_id
    busy = Meeting.objects.filter(event_id=event_id, status__in=Meeting.ACTIVE)
    cand_slots = set(busy.filter(candidate_id=candidate_id).values_list("slot", flat=True))
    taken: dict[int, set[int]] = {}
    for slot, table in busy.filter(organisation_id=booth.organisation_id).values_list("slot", "table"):
        taken.setdefault(slot, set()).add(table)
    for slot in range(max(0, from_slot), cfg.slot_count):
        if slot in cand_slots:
            continue
        for table in range(1, booth.tables + 1):
            if table not in taken.get(slot, set()):
                return slot, table
    return None


def book_meeting(
    *,
    event: Event,
    organisation_id: int,
    candidate_id: int,
    opening_id: int | None,
    source: str,
    now: datetime,
    request: MeetingRequest | None = None,
    only_slot: int | None = None,
) -> Meeting:
    """Book the next free table slot that fits both. Call inside a transaction."""
    cfg = _config(event)
    booth = Booth.objects.select_for_update().filter(event=event, organisation_id=organisation_id).first()
    if booth is None:
        raise exc.NotFound(_("This employer has no booth at the fair."))
    # The slot running now has already started: book from the next one.
    start = max(0, cfg.slot_at(now) + 1)
    if only_slot is not None:
        start = only_slot
    for _attempt in range(3):
        found = _free_slot(cfg=cfg, booth=booth, candidate_id=candidate_id, from_slot=start)
        if found is None or (only_slot is not None and found[0] != only_slot):
            raise exc.NoFreeSlot(_("No free table slot fits you both."))
        slot, table = found
        try:
            with transaction.atomic():
                return Meeting.objects.create(
                    event=event,
                    organisation_id=organisation_id,
                    candidate_id=candidate_id,
                    opening_id=opening_id,
                    request=request,
                    slot=slot,
                    table=table,
                    starts_at=cfg.slot_start(slot),
                    ends_at=cfg.slot_start(slot + 1),
                    source=source,
                )
        except IntegrityError:
            # Someone else won this slot between our read and write; look again.
            continue
    raise exc.NoFreeSlot(_("No free table slot fits you both."))


def _load_request(request_id: int) -> MeetingRequest:
    req = (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", "organisation", "opening")
        .filter(pk=request_id)
        .first()
    )
    if req is None:
        raise exc.NotFound(_("No such request."))
    return req


@transaction.atomic
def meeting_request_respond(
    *, request_id: int, user: User, accept: bool, now: datetime | None = None
) -> MeetingRequest:
    """The receiving side accepts (booking a slot) or declines."""
    now = now or timezone.now()
    req = _load_request(request_id)
    party = selectors.request_party(request=req, user=user)
    receiver = "candidate" if req.sent_by == MeetingRequest.From.EMPLOYER else "employer"
    if party is None:
        raise exc.NotFound(_("No such request."))
    if party != receiver:
        raise exc.NotAllowed(_("Only the other side can answer this request."))
    if not selectors.request_open(request=req, now=now):
        raise exc.RequestClosed(_("This request is no longer open."))
    if accept:
        meeting = book_meeting(
            event=req.event,
            organisation_id=req.organisation_id,
            candidate_id=req.candidate_id,
            opening_id=req.opening_id,
            source=Meeting.Source.REQUEST,
            now=now,
            request=req,
        )
        req.status = MeetingRequest.Status.ACCEPTED
        req.responded_at = now
        req.save(update_fields=["status", "responded_at"])
        _tell_both(req.event, req.organisation_id, req.candidate_id, "meeting.booked", meeting_payload(meeting))
        meeting_mail.meetings_changed([meeting.pk])
    else:
        req.status = MeetingRequest.Status.DECLINED
        req.responded_at = now
        req.save(update_fields=["status", "responded_at"])
    _tell_both(req.event, req.organisation_id, req.candidate_id, "meeting_request.updated", request_payload(req))
    return req


@transaction.atomic
def meeting_request_cancel(*, request_id: int, user: User, now: datetime | None = None) -> MeetingRequest:
    """The sender withdraws a pending request."""
    now = now or timezone.now()
    req = _load_request(request_id)
    party = selectors.request_party(request=req, user=user)
    if party is None:
        raise exc.NotFound(_("No such request."))
    if party != req.sent_by:
        raise exc.NotAllowed(_("Only the sender can withdraw a request."))
    if not selectors.request_open(request=req, now=now):
        raise exc.RequestClosed(_("This request is no longer open."))
    req.status = MeetingRequest.Status.CANCELLED
    req.responded_at = now
    req.save(update_fields=["status", "responded_at"])
    _tell_both(req.event, req.organisation_id, req.candidate_id, "meeting_request.updated", request_payload(req))
    return req


def meetings_expire_requests(*, event: Event | None = None, now: datetime | None = None) -> int:
    """Write down the expiry of pending requests past it, and tell both sides. Returns how many.

    The every-minute sweep (`matching.tasks.sweep`, scheduled by migration 0003). Reads never call
    it: they show such a request as expired already (`selectors.request_open`). It takes the write
    lock only when something expired.
    """
    now = now or timezone.now()
    due = MeetingRequest.objects.filter(status=MeetingRequest.Status.PENDING, expires_at__lte=now)
    if event is not None:
        due = due.filter(event=event)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        # Locked and checked again: an answer may have closed one since the read above.
        return _expire(due.filter(pk__in=ids).select_for_update(of=("self",)))


def _expire(due: QuerySet[MeetingRequest]) -> int:
    """Mark these requests expired and tell both sides. Call inside a transaction."""
    expired = list(due.select_related("event", "organisation", "opening"))
    for req in expired:
        req.status = MeetingRequest.Status.EXPIRED
        req.save(update_fields=["status"])
        _tell_both(req.event, req.organisation_id, req.candidate_id, "meeting_request.updated", request_payload(req))
    return len(expired)


def _load_meeting(meeting_id: int) -> Meeting:
    m = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "organisation")
        .filter(pk=meeting_id)
        .first()
    )
    if m is None:
        raise exc.NotFound(_("No such meeting."))
    return m


@transaction.atomic
def meeting_cancel(*, meeting_id: int, user: User) -> Meeting:
    """Either side (or an organiser) cancels a booked meeting; its table slot is free again at once."""
    m = _load_meeting(meeting_id)
    if selectors.meeting_visible_to(meeting=m, user=user) is None:
        raise exc.NotFound(_("No such meeting."))
    if m.status != Meeting.Status.BOOKED:
        raise exc.MeetingClosed(_("This meeting can no longer be cancelled."))
    m.status = Meeting.Status.CANCELLED
    m.save(update_fields=["status", "updated_at"])
    _tell_both(m.event, m.organisation_id, m.candidate_id, "meeting.updated", meeting_payload(m))
    meeting_mail.meetings_changed([m.pk])
    return m


@transaction.atomic
def meeting_confirm(*, meeting_id: int, user: User, now: datetime | None = None) -> Meeting:
    """One tap at the table: this side says the meeting happened. Both taps make it confirmed."""
    now = now or timezone.now()
    m = _load_meeting(meeting_id)
    party = selectors.meeting_visible_to(meeting=m, user=user)
    if party not in ("candidate", "employer"):
        raise exc.NotFound(_("No such meeting."))
    if m.status not in Meeting.ACTIVE:
        raise exc.MeetingClosed(_("This meeting is closed."))
    if party == "candidate" and m.candidate_confirmed_at is None:
        m.candidate_confirmed_at = now
    if party == "employer" and m.employer_confirmed_at is None:
        m.employer_confirmed_at = now
    if m.candidate_confirmed_at and m.employer_confirmed_at:
        m.status = Meeting.Status.CONFIRMED
    m.save()
    _tell_both(m.event, m.organisation_id, m.candidate_id, "meeting.updated", meeting_payload(m))
    return m


def standby_candidates(*, event: Event, organisation_id: int, slot: int) -> list[int]:
    """Present, consenting candidates free in `slot`, best first for this employer, no-meeting-yet first."""
    from matching import board

    busy = selectors.candidates_with_meeting_in_slot(event=event, slot=slot)
    already = set(
        selectors.active_meetings(event=event)
        .filter(organisation_id=organisation_id)
        .values_list("candidate_id", flat=True)
    )
    counts = selectors.meetings_count_by_candidate(event=event)
    cfg = _config(event)
    ranked = board.ranked_for_organisation(event=event, organisation_id=organisation_id)
    pool = [
        (cid, score)
        for cid, score in ranked
        if cid not in busy and cid not in already and counts.get(cid, 0) < cfg.candidate_meeting_limit
    ]
    # Spread attention: somebody with no meeting yet goes before a higher score who has several.
    pool.sort(key=lambda cs: (counts.get(cs[0], 0) > 0, -cs[1]))
    return [cid for cid, _s in pool]


@transaction.atomic
def meeting_no_show(*, meeting_id: int, user: User | None, now: datetime | None = None) -> Meeting | None:
    """Record a no-show and offer the slot to the best free present candidate. Returns the refill, if any."""
    now = now or timezone.now()
    m = _load_meeting(meeting_id)
    if user is not None and selectors.meeting_visible_to(meeting=m, user=user) is None:
        raise exc.NotFound(_("No such meeting."))
    if m.status != Meeting.Status.BOOKED:
        raise exc.MeetingClosed(_("Only a booked meeting can be a no-show."))
    m.status = Meeting.Status.NO_SHOW
    m.save(update_fields=["status", "updated_at"])
    _tell_both(m.event, m.organisation_id, m.candidate_id, "meeting.updated", meeting_payload(m))
    meeting_mail.meetings_changed([m.pk])
    return _refill(m, now=now)


def _refill(m: Meeting, *, now: datetime) -> Meeting | None:
    if m.ends_at <= now:
        return None
    for cid in standby_candidates(event=m.event, organisation_id=m.organisation_id, slot=m.slot):
        try:
            with transaction.atomic():
                refill = Meeting.objects.create(
                    event=m.event,
                    organisation_id=m.organisation_id,
                    candidate_id=cid,
                    opening_id=m.opening_id,
                    slot=m.slot,
                    table=m.table,
                    starts_at=m.starts_at,
                    ends_at=m.ends_at,
                    source=Meeting.Source.STANDBY,
                )
        except IntegrityError:
            continue
        _tell_both(m.event, m.organisation_id, cid, "meeting.booked", meeting_payload(refill))
        meeting_mail.meetings_changed([refill.pk])
        return refill
    return None


def meetings_release_absent(*, event: Event, now: datetime | None = None) -> int:
    """Free booked slots whose candidate has not checked in by the slot's start minus the grace period."""
    from matching import board

    now = now or timezone.now()
    cfg = selectors.fair_config(event=event)
    if cfg is None:
        return 0
    present = board.present_candidate_ids(event=event)
    horizon = now + timedelta(minutes=cfg.no_show_grace_minutes)
    due = Meeting.objects.filter(
        event=event, status=Meeting.Status.BOOKED, starts_at__lte=horizon, ends_at__gt=now
    ).exclude(candidate_id__in=present)
    released = 0
    for meeting_id in list(due.values_list("pk", flat=True)):
        try:
            meeting_no_show(meeting_id=meeting_id, user=None, now=now)
            released += 1
        except exc.MatchingError:
            continue
    return released
