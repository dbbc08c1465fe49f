"""Writes. Each service is one transaction; live updates and emails leave after the commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import calendar_mail, consents, hooks, memberships, tasks
from events.exceptions import AlreadyRegistered, InvalidTransition, RegistrationClosed
from events.models import ApiToken, Consent, Event, Organisation, Registration, Room, User
from events.selectors import event_dashboard_snapshot
from realtime.groups import event_dashboard_stream, event_public_stream
from realtime.publish import publish_on_commit


def _on_commit_task(func: Any, *args: Any, urgent: bool = False) -> None:
    # Email tasks get the registration's updated_at as their "occasion": a re-run of the same task
    # sends once, while a person who cancels and registers again gets a new confirmation. Urgent:
    # one person is waiting for it, so it goes ahead of the bulk an organiser's import queued.
    transaction.on_commit(lambda: tasks.enqueue_email(func, *args, urgent=urgent))


def _publish_dashboard(event: Event) -> None:
    # The snapshot is small; sending it whole lets a client that missed a message catch up at once.
    # It is read after the commit, so it counts every registration committed before it.
    event_id = event.pk

    def snapshot() -> dict[str, Any] | None:
        committed = Event.objects.filter(pk=event_id).first()
        return None if committed is None else event_dashboard_snapshot(event=committed)

    publish_on_commit(event_dashboard_stream(event.slug), "registrations.changed", snapshot)


def user_get_or_create(
    *, email: str, full_name: str = "", language: str = "", organisation: Organisation | None = None
) -> tuple[User, bool]:
    """The person with this email and whether they are new. A known person is returned untouched."""
    # Whoever types an address is not necessarily its owner, so nothing they typed (name, language,
    # organisation) may land on an account that already exists.
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email=email, full_name=full_name.strip(), language=language or "en", organisation=organisation
    )
    return user, True


def _has_room(event: Event) -> bool:
    if event.capacity is None:
        return True
    return event.registrations.filter(status=Registration.Status.REGISTERED).count() < event.capacity


def _check_open(event: Event, *, by_organiser: bool, invited: bool) -> None:
    if not by_organiser and not invited and (not event.registration_open or not event.is_public):
        raise RegistrationClosed(_("Registration for this event is closed."))
    if not by_organiser and event.status == Event.Status.CLOSED:
        raise RegistrationClosed(_("This event has ended."))


def _is_person(actor: Any, user: User) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.pk == user.pk)


# The kind a newly named organisation gets: a guess from the role, which the organiser corrects
# when they verify the organisation.
_KIND_FOR_ROLE = {
    Registration.Role.EMPLOYER: Organisation.Kind.EMPLOYER,
    Registration.Role.OFFICIAL: Organisation.Kind.GOVERNMENT,
}


def registration_create(
    *,
    event: Event,
    email: str,
    full_name: str,
    role: str = Registration.Role.CANDIDATE,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    language: str = "en",
    delegation: str = "",
    gender: str = "",
    city: str = "",
    consent_share_profile: bool = False,
    consent_attendee_list: bool = False,
    invited: bool = False,
    by_organiser: bool = False,
    actor: Any = None,
    source: str = Consent.Source.PAGE,
    client: str = "",
) -> Registration:
    """Register a person, or waitlist them when the event is full. `invited` sends an invitation instead.

    `organisation` is an organiser's choice; `organisation_name` is what the person typed, and only
    asks to join it (a pending membership). The consent boxes count only as the person's own answer:
    given at once when `actor` is the person, kept pending until a new person confirms their address,
    and otherwise ignored (organisers and imports cannot consent for anyone).
    """
    with transaction.atomic():
        # Lock the event row: two people taking the last seat at once must not both get it.
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_open(event, by_organiser=by_organiser, invited=invited)
        return _register(
            event=event,
            email=email,
            full_name=full_name,
            role=role,
            organisation=organisation,
            organisation_name=organisation_name,
            language=language,
            delegation=delegation,
            gender=gender,
            city=city,
            consent_share_profile=consent_share_profile,
            consent_attendee_list=consent_attendee_list,
            invited=invited,
            by_organiser=by_organiser,
            actor=actor,
            source=source,
            client=client,
        )


def _register(
    *,
    event: Event,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    organisation_name: str,
    language: str,
    delegation: str,
    consent_share_profile: bool,
    consent_attendee_list: bool,
    invited: bool,
    by_organiser: bool,
    actor: Any,
    source: str,
    client: str,
    gender: str = "",
    city: str = "",
) -> Registration:
    # registration_create's body, for a caller that holds the event's lock and checked it is open.
    user, created = user_get_or_create(email=email, full_name=full_name, language=language, organisation=organisation)
    is_person = _is_person(actor, user)
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None and existing.status not in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        raise AlreadyRegistered(_("This email address is already registered for this event."))
    organisation_name = organisation_name[:200]  # an organisation's name and the typed text hold 200 characters
    if organisation_name and (created or is_person):
        organisation = memberships.organisation_for_request(
            name=organisation_name, kind=_KIND_FOR_ROLE.get(role, Organisation.Kind.EMPLOYER)
        )
        memberships.membership_request(user=user, organisation=organisation)
    if invited:
        status = Registration.Status.INVITED
    elif _has_room(event):
        status = Registration.Status.REGISTERED
    else:
        status = Registration.Status.WAITLISTED
    registration = existing or Registration(event=event, user=user)
    registration.role = role
    registration.organisation = organisation
    # Kept as the person typed it, whatever becomes of the membership it asked for.
    registration.organisation_name = organisation_name if (created or is_person) else ""
    registration.language = language or "en"
    registration.delegation = delegation
    if created or is_person:
        # Self-declared: only the person's own answer counts, never an organiser's or an import's.
        registration.gender = gender if gender in Registration.Gender.values else ""
        registration.city = city[:100]
    registration.status = status
    registration.pending_consents = (
        consents.consents_offered(share_profile=consent_share_profile, attendee_list=consent_attendee_list)
        if created and not is_person and not by_organiser
        else {}
    )
    registration.waitlisted_at = timezone.now() if status == Registration.Status.WAITLISTED else None
    registration.save()
    if status in Registration.SEATED:
        hooks.registrations_seated(registration_ids=[registration.pk])
    if is_person:
        consents.consents_apply(
            user=user,
            actor=actor,
            event=event,
            share_profile=consent_share_profile,
            attendee_list=consent_attendee_list,
            source=source,
            client=client,
        )
        registration.refresh_from_db(fields=list(consents.FLAGS.values()))
    if status != Registration.Status.REGISTERED:
        # A new seat's calendar is synced by its confirmation, which carries the invitation (one email).
        calendar_mail.on_registration_changed(registration.pk)
    if status == Registration.Status.INVITED:
        _on_commit_task(tasks.send_invitation, registration.pk, registration.updated_at.isoformat())
    else:
        _on_commit_task(
            tasks.send_registration_confirmation,
            registration.pk,
            status,
            registration.updated_at.isoformat(),
            urgent=not by_organiser,
        )
    _publish_dashboard(event)
    return registration


def registration_request(
    *,
    event: Event,
    email: str,
    full_name: str,
    role: str = Registration.Role.CANDIDATE,
    organisation_name: str = "",
    language: str = "en",
    consent_share_profile: bool = False,
    consent_attendee_list: bool = False,
    actor: Any = None,
    source: str = Consent.Source.PAGE,
    client: str = "",
    gender: str = "",
    city: str = "",
) -> Registration | None:
    """A registration asked for on the public form, or through the API by someone who is not an organiser.

    The signed-in owner of the address is registered at once and gets the registration back. For
    anyone else the answer is None whatever the address: a new address is registered (its consents
    wait for the confirmation); a known one is left untouched and its owner is emailed a link to
    finish (or, when already registered, their own link). Callers answer every None alike, so the
    answer tells nobody who has an account here or who is registered.
    """
    with transaction.atomic():
        email = email.strip().lower()
        fields = {
            "full_name": full_name,
            "role": role,
            "organisation_name": organisation_name,
            "language": language,
            "consent_share_profile": consent_share_profile,
            "consent_attendee_list": consent_attendee_list,
        }
        if actor is not None and getattr(actor, "is_authenticated", False) and actor.email.lower() == email:
            return registration_create(
                event=event, email=email, actor=actor, source=source, client=client, gender=gender, city=city, **fields
            )
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_open(event, by_organiser=False, invited=False)
        user = User.objects.filter(email=email).first()
        if user is None:
            _register(
                event=event,
                email=email,
                organisation=None,
                delegation="",
                invited=False,
                by_organiser=False,
                actor=None,
                source=source,
                client=client,
                gender=gender,
                city=city,
                **fields,
            )
            return None
        # The reads a new address's registration makes, and a queued email, so that the time an answer
        # takes says little more than its words (its few inserts are what remains; docs/security.md).
        Registration.objects.filter(event=event, user=user).first()
        if organisation_name:
            Organisation.objects.filter(name__iexact=" ".join(organisation_name.split())).order_by("id").first()
        _has_room(event)
        _on_commit_task(
            tasks.send_registration_notice, user.pk, event.pk, fields, timezone.now().isoformat(), urgent=True
        )
        return None


def email_confirm(*, user: User, client: str = "") -> None:
    """The person opened a link emailed to their address, so it is theirs: what waited for that takes effect."""
    with transaction.atomic():
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
                email_confirmed_at=user.email_confirmed_at
            )
        for registration in Registration.objects.filter(user=user).select_related("event", "user"):
            if registration.pending_consents:
                consents.consents_confirm_pending(registration=registration, client=client)
        memberships.memberships_confirm_domain(user=user)


def _promote_waitlist(event: Event) -> list[Registration]:
    promoted = []
    while _has_room(event):
        nxt = (
            event.registrations.select_for_update()
            .filter(status=Registration.Status.WAITLISTED)
            .order_by("waitlisted_at", "id")
            .first()
        )
        if nxt is None:
            break
        nxt.status = Registration.Status.REGISTERED
        nxt.waitlisted_at = None
        nxt.save(update_fields=["status", "waitlisted_at", "updated_at"])
        hooks.registrations_seated(registration_ids=[nxt.pk])
        _on_commit_task(tasks.send_waitlist_promotion, nxt.pk, nxt.updated_at.isoformat(), urgent=True)
        calendar_mail.on_registration_changed(nxt.pk)
        promoted.append(nxt)
    return promoted


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; the first person on the waitlist takes the freed seat (and is told)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
            return registration
        registration.status = Registration.Status.CANCELLED
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
        calendar_mail.on_registration_changed(registration.pk)
        _promote_waitlist(event)
        _publish_dashboard(event)
        return registration


def invitation_respond(*, registration: Registration, accept: bool) -> Registration:
    """An invited person accepts (takes a seat, or the waitlist) or declines."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.INVITED:
            raise InvalidTransition(_("This invitation has already been answered."))
        if not accept:
            registration.status = Registration.Status.DECLINED
        elif _has_room(event):
            registration.status = Registration.Status.REGISTERED
        else:
            registration.status = Registration.Status.WAITLISTED
            registration.waitlisted_at = timezone.now()
        registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
        if registration.status in Registration.SEATED:
            hooks.registrations_seated(registration_ids=[registration.pk])
        calendar_mail.on_registration_changed(registration.pk)
        if registration.status != Registration.Status.DECLINED:
            _on_commit_task(
                tasks.send_registration_confirmation,
                registration.pk,
                registration.status,
                registration.updated_at.isoformat(),
                urgent=True,
            )
        _publish_dashboard(event)
        return registration


def registration_update(
    *, registration: Registration, actor: Any = None, source: str = Consent.Source.API, client: str = "", **fields: Any
) -> Registration:
    """Change a registration's details or status; status changes go through the proper transition.

    Consent fields are the person's own answer: they go through events.consents, which refuses any
    `actor` but the person (reason `consent_owner_only`).
    """
    with transaction.atomic():
        answers = {purpose: fields.pop(flag) for purpose, flag in consents.FLAGS.items() if flag in fields}
        for purpose, given in answers.items():
            consents.consent_set(
                user=registration.user,
                actor=actor,
                event=registration.event,
                purpose=purpose,
                given=bool(given),
                source=source,
                client=client,
            )
        if answers:
            registration.refresh_from_db(fields=list(consents.FLAGS.values()))
        status = fields.pop("status", None)
        for name, value in fields.items():
            setattr(registration, name, value)
        if fields:
            registration.save()
        if status and status != registration.status:
            if status == Registration.Status.CANCELLED:
                return registration_cancel(registration=registration)
            if registration.status == Registration.Status.INVITED and status in (
                Registration.Status.REGISTERED,
                Registration.Status.DECLINED,
            ):
                return invitation_respond(registration=registration, accept=status == Registration.Status.REGISTERED)
            event = Event.objects.select_for_update().get(pk=registration.event_id)
            if status == Registration.Status.REGISTERED and not _has_room(event):
                raise InvalidTransition(_("The event is full."))
            registration.status = status
            registration.waitlisted_at = timezone.now() if status == Registration.Status.WAITLISTED else None
            registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
            if status in Registration.SEATED:
                hooks.registrations_seated(registration_ids=[registration.pk])
            _publish_dashboard(event)
        calendar_mail.on_registration_changed(registration.pk)
        return registration


def event_create(**fields: Any) -> Event:
    """Create an event (organisers only; the caller checks)."""
    with transaction.atomic():
        event = Event(**fields)
        event.full_clean()
        event.save()
        return event


def event_update(*, event: Event, **fields: Any) -> Event:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = {name: getattr(event, name, None) for name in fields}
        for name, value in fields.items():
            setattr(event, name, value)
        event.full_clean()
        event.save()
        calendar_mail.on_event_changed(event=event, before=before)
        if "capacity" in fields:
            _promote_waitlist(event)
        publish_on_commit(event_public_stream(event.slug), "event.changed", {"slug": event.slug})
        return event


def room_get_or_create(*, event: Event, name: str) -> Room:
    """The event's room with this name, created on first use (the API names rooms, it doesn't number them)."""
    with transaction.atomic():
        room, _created = Room.objects.get_or_create(event=event, name=" ".join(name.split()))
        return room


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new bearer token for the user. The raw token is returned once and only its hash is stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=ApiToken.hash(raw))
    return token, raw


# "Last used" is shown to the minute; writing it more often would add a write to most requests.
API_TOKEN_USED_EVERY = timedelta(minutes=1)


def api_token_used(*, token: ApiToken, now: datetime | None = None) -> bool:
    """Record that a token was used to change something, at most once a minute (judged by the
    `last_used_at` it was loaded with). Reads leave no trace. Returns whether it wrote."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < API_TOKEN_USED_EVERY:
        return False
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return True


def api_token_revoke(*, user: User, prefix: str) -> int:
    """Revoke the user's active tokens whose prefix starts with `prefix`; returns how many were revoked."""
    return ApiToken.objects.filter(user=user, prefix__startswith=prefix[:8], revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
