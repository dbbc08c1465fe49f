"""The policy dialogue from an official's side: delegations, topics, bilateral wishes and meetings.

Reads: who is coming from each country (names only of officials who agreed to be listed, with the
consent `attendee_list`; the other officials only as their institutions, and only institutions they
are granted members of), the counterparts an official may ask to meet (the other delegation's
institutions and listed people), the topics on the table, and the official's meetings.

Writes: `wish_save` and `wish_withdraw` are the only writers of `BilateralWish` (the wishes page,
the API and the demo call them), with the rules in one order: an official of this event, wishes
still open, a counterpart of the other delegation, topics of this event, a priority from 1 to 5.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.memberships import granted_exists
from events.models import Event, Organisation, Registration, Session, User
from matching import exceptions as exc
from matching import selectors
from matching.models import BilateralBusy, BilateralWish, DialogueSettings, DialogueTopic, Meeting

COUNTRY_NAMES = {"LT": gettext_lazy("Lithuania"), "IQ": gettext_lazy("Iraq")}


class WishesClosed(exc.MatchingError):
    code = "wishes_closed"
    status = 409


@dataclass
class Delegation:
    country: str
    people: list[tuple[str, str]] = field(default_factory=list)  # (name, institution) of listed officials
    institutions: list[str] = field(default_factory=list)
    unlisted: int = 0  # officials who did not agree to be listed

    @property
    def name(self) -> str:
        return str(COUNTRY_NAMES.get(self.country, self.country or _("Other")))


def delegation_code(registration: Registration) -> str:
    """The country an official speaks for: the registration's delegation, else their institution's country."""
    code = registration.delegation or (registration.organisation.country if registration.organisation_id else "")
    return (code or "").upper()


def _officials(event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event, role=Registration.Role.OFFICIAL, status=Registration.Status.REGISTERED)
        .select_related("user", "organisation")
        .annotate(organisation_granted=granted_exists())
        .order_by("user__full_name", "id")
    )


def official_registration(*, user: Any, event: Event) -> Registration | None:
    """The official's registration when `selectors.official_at` allows them, else None."""
    if not selectors.official_at(user=user, event=event):
        return None
    return _officials(event).filter(user=user).first()


def delegations(*, event: Event) -> list[Delegation]:
    """Each country's delegation: listed people by name, everyone else only through their institution."""
    by_country: dict[str, Delegation] = {}
    for reg in _officials(event):
        d = by_country.setdefault(delegation_code(reg), Delegation(delegation_code(reg)))
        institution = reg.organisation.name if reg.organisation_id and reg.organisation_granted else ""
        if institution and institution not in d.institutions:
            d.institutions.append(institution)
        if reg.consent_attendee_list:
            d.people.append((reg.user.full_name or _("Anonymous"), institution))
        else:
            d.unlisted += 1
    return [by_country[c] for c in sorted(by_country, key=lambda c: (c not in COUNTRY_NAMES, c))]


@dataclass(frozen=True)
class Counterparts:
    institutions: list[Organisation]
    people: list[tuple[User, Organisation]]  # listed officials of the other delegation, with their institution


def counterparts_for(*, event: Event, registration: Registration) -> Counterparts:
    """Whom this official may ask to meet: institutions and listed people of the other delegation(s)."""
    mine = delegation_code(registration)
    institutions: dict[int, Organisation] = {}
    people: list[tuple[User, Organisation]] = []
    for reg in _officials(event):
        if delegation_code(reg) == mine or not (reg.organisation_id and reg.organisation_granted):
            continue
        institutions.setdefault(reg.organisation_id, reg.organisation)
        if reg.consent_attendee_list:
            people.append((reg.user, reg.organisation))
    return Counterparts(sorted(institutions.values(), key=lambda o: o.name), people)


def topics(*, event: Event) -> list[DialogueTopic]:
    return list(DialogueTopic.objects.filter(event=event))


def wishes_open(*, event: Event, now: datetime | None = None) -> bool:
    """Open unless the organiser closed them (by hand, or with a closing time that has passed)."""
    cfg = DialogueSettings.objects.filter(event=event).first()
    return cfg is None or cfg.accepts_wishes(now or timezone.now())


def wishes_close_at(*, event: Event) -> datetime | None:
    return DialogueSettings.objects.filter(event=event).values_list("wishes_close_at", flat=True).first()


def wishes_of(*, event: Event, official: User) -> list[BilateralWish]:
    return list(
        BilateralWish.objects.filter(event=event, official=official)
        .select_related("counterpart", "person")
        .prefetch_related("topics")
        .order_by("-weight", "counterpart__name")
    )


def bilateral_meetings_of(*, event: Event, user: User) -> list[Meeting]:
    """The official's own bilateral meetings, and those of the institution they are a granted member of."""
    from matching.calendar import meetings_of

    return list(
        meetings_of(user.pk)
        .filter(event=event, source=Meeting.Source.BILATERAL, status__in=Meeting.ACTIVE)
        .select_related("organisation", "candidate", "room")
        .order_by("starts_at", "id")
    )


def bilateral_sessions(*, event: Event) -> QuerySet[Session]:
    """The published bilateral slots: sessions of kind bilateral, not cancelled, in time order."""
    return (
        Session.objects.filter(event=event, kind=Session.Kind.BILATERAL)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("room")
        .order_by("starts_at", "room__name", "id")
    )


def bilateral_windows(*, event: Event) -> list[tuple[datetime, datetime]]:
    """The distinct times of the published bilateral slots (an official is busy or free for each)."""
    return sorted({(s.starts_at, s.ends_at) for s in bilateral_sessions(event=event)})


def busy_windows(*, event: Event, official: User) -> set[tuple[datetime, datetime]]:
    return set(BilateralBusy.objects.filter(event=event, official=official).values_list("starts_at", "ends_at"))


# --- Writes -------------------------------------------------------------------------------------


def _check_official(event: Event, official: User) -> Registration:
    registration = official_registration(user=official, event=event)
    if registration is None:
        raise exc.NotAllowed(_("Only officials at this event can ask for bilateral meetings."))
    if not wishes_open(event=event):
        raise WishesClosed(_("The organisers have closed bilateral wishes for this event."))
    return registration


@transaction.atomic
def wish_save(
    *,
    event: Event,
    official: User,
    counterpart_id: int | None,
    weight: int,
    person_id: int | None = None,
    topic_ids: Iterable[int] = (),
) -> BilateralWish:
    """An official asks to meet an institution (or a listed person, and so their institution) of the
    other delegation, on some of the event's topics, with a priority from 1 (nice to have) to 5."""
    registration = _check_official(event, official)
    others = counterparts_for(event=event, registration=registration)
    person = None
    if person_id is not None:
        match = next(((u, o) for u, o in others.people if u.pk == person_id), None)
        if match is None:
            raise exc.InvalidInput(_("Choose a person of the other delegation."))
        person, organisation = match
        if counterpart_id is not None and counterpart_id != organisation.pk:
            raise exc.InvalidInput(_("That person does not belong to the institution you chose."))
        counterpart_id = organisation.pk
    if counterpart_id is None:
        raise exc.InvalidInput(_("Choose an institution or a person to meet."))
    if counterpart_id not in {o.pk for o in others.institutions}:
        raise exc.InvalidInput(_("Choose an institution of the other delegation."))
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 5:
        raise exc.InvalidInput(_("The priority is a whole number from 1 to 5."))
    wanted = set(topic_ids)
    known = {t.pk: t for t in DialogueTopic.objects.filter(event=event, pk__in=wanted)}
    if set(known) != wanted:
        raise exc.InvalidInput(_("Choose topics from this event's list."))
    wish, _created = BilateralWish.objects.update_or_create(
        event=event, official=official, counterpart_id=counterpart_id, defaults={"weight": weight, "person": person}
    )
    wish.topics.set(known.values())
    return wish


@transaction.atomic
def wish_withdraw(*, event: Event, official: User, counterpart_id: int) -> bool:
    """The official no longer asks to meet this institution. Returns whether a wish was withdrawn."""
    _check_official(event, official)
    deleted, _rows = BilateralWish.objects.filter(
        event=event, official=official, counterpart_id=counterpart_id
    ).delete()
    return deleted > 0


@transaction.atomic
def busy_set(*, event: Event, official: User, windows: Iterable[tuple[datetime, datetime]]) -> None:
    """The published bilateral times at which the official cannot meet (replaces what they said before)."""
    _check_official(event, official)
    offered = set(bilateral_windows(event=event))
    chosen = set(windows)
    if not chosen <= offered:
        raise exc.InvalidInput(_("Choose times of this event's bilateral slots."))
    BilateralBusy.objects.filter(event=event, official=official).delete()
    BilateralBusy.objects.bulk_create(
        BilateralBusy(event=event, official=official, starts_at=s, ends_at=e) for s, e in sorted(chosen)
    )
