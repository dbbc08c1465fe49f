"""Running an event live: session start, end, delay, move and cancel, and announcements.

Each action is one service call and one transaction: it saves the change, bumps the session's
revision through `services.session_update` (so calendars update), and publishes after the commit to
the streams that may see it: the organisers' control room always, and the public, attendees or
officials stream according to the session's audience. Messages carry whole objects, never deltas,
so applying one twice or after a snapshot is harmless.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import services
from events.exceptions import EventsError, InvalidTransition
from events.models import Announcement, Event, Registration, Room, Session, User
from realtime.groups import (
    event_attendees_stream,
    event_control_stream,
    event_public_stream,
    event_role_stream,
    user_stream,
)
from realtime.publish import publish

MAX_DELAY_MINUTES = 12 * 60
MAX_ANNOUNCEMENT = 1000


class InvalidLiveAction(EventsError):
    code = "invalid"
    status = 422


def session_payload(session: Session) -> dict[str, Any]:
    """A session as live pages show it: the whole object, so messages never depend on each other."""
    return {
        "id": session.pk,
        "title": session.title,
        "kind": session.kind,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "room": session.room.name if session.room_id else None,
        "room_id": session.room_id,
        "track": session.track,
        "speakers": session.speakers,
        "audience": session.audience,
        "status": session.status,
        "revision": session.revision,
    }


def announcement_payload(announcement: Announcement) -> dict[str, Any]:
    return {
        "id": announcement.pk,
        "event": announcement.event.slug,
        "audience": announcement.audience,
        "role": announcement.role or None,
        "session_id": announcement.session_id,
        "text": announcement.text,
        "language": announcement.language,
        "translations": announcement.translations,
        "created_at": announcement.created_at.isoformat(),
    }


def session_streams(*, slug: str, audience: str) -> list[str]:
    """The streams a change to a session with this audience goes to."""
    streams = [event_control_stream(slug)]
    if audience == Session.Audience.PUBLIC:
        streams.append(event_public_stream(slug))
    elif audience == Session.Audience.REGISTERED:
        streams.append(event_attendees_stream(slug))
    else:
        streams.append(event_role_stream(slug, Registration.Role.OFFICIAL))
    return streams


def publish_session_changed(session: Session, *, previous_audience: str | None = None) -> None:
    """Tell every stream that may see this session about its new state (after the commit)."""
    slug = Event.objects.values_list("slug", flat=True).get(pk=session.event_id)
    data = {"session": session_payload(session)}
    streams = session_streams(slug=slug, audience=session.audience)
    if previous_audience and previous_audience != session.audience:
        # Those who could see it before learn that it left their view (as a withdrawal).
        for stream in session_streams(slug=slug, audience=previous_audience):
            if stream not in streams:
                publish(stream, "session.withdrawn", {"session": {"id": session.pk}})
    for stream in streams:
        publish(stream, "session.changed", data)


def _locked(session: Session) -> Session:
    # Lock the session row only; the room is a nullable join that PostgreSQL refuses to lock.
    return Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)


@transaction.atomic
def session_start(*, session: Session) -> Session:
    """Mark a scheduled session as running now."""
    session = _locked(session)
    if session.status != Session.Status.SCHEDULED:
        raise InvalidTransition(_("Only a scheduled session can start."))
    return services.session_update(session=session, status=Session.Status.LIVE)


@transaction.atomic
def session_end(*, session: Session) -> Session:
    """End a running session; one that ends early gets its real end time (calendars show it)."""
    session = _locked(session)
    if session.status != Session.Status.LIVE:
        raise InvalidTransition(_("Only a running session can end."))
    fields: dict[str, Any] = {"status": Session.Status.ENDED}
    now = timezone.now().replace(microsecond=0)
    if session.starts_at <= now < session.ends_at:
        fields["ends_at"] = now
    return services.session_update(session=session, **fields)


@transaction.atomic
def session_delay(*, session: Session, minutes: int) -> Session:
    """Push a scheduled session later by `minutes`; a running one overruns (only its end moves)."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_DELAY_MINUTES:
        raise InvalidLiveAction(
            _("A delay is between 1 and %(max)d minutes.") % {"max": MAX_DELAY_MINUTES}, code="invalid_delay"
        )
    session = _locked(session)
    shift = timedelta(minutes=minutes)
    if session.status == Session.Status.SCHEDULED:
        return services.session_update(
            session=session, starts_at=session.starts_at + shift, ends_at=session.ends_at + shift
        )
    if session.status == Session.Status.LIVE:
        return services.session_update(session=session, ends_at=session.ends_at + shift)
    raise InvalidTransition(_("An ended or cancelled session cannot be delayed."))


@transaction.atomic
def session_move(*, session: Session, room: Room) -> Session:
    """Move a session to another room of the same event."""
    session = _locked(session)
    if room.event_id != session.event_id:
        raise InvalidLiveAction(_("That room belongs to another event."), code="invalid_room")
    if session.status in (Session.Status.ENDED, Session.Status.CANCELLED):
        raise InvalidTransition(_("An ended or cancelled session cannot move."))
    return services.session_update(session=session, room=room)


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    """Cancel a session that has not ended; it stays in the agenda, marked cancelled."""
    session = _locked(session)
    if session.status in (Session.Status.ENDED, Session.Status.CANCELLED):
        raise InvalidTransition(_("This session has already ended or been cancelled."))
    return services.session_update(session=session, status=Session.Status.CANCELLED)


def _clean_text(value: Any, *, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidLiveAction(_("Write the announcement."), code="invalid_text")
    value = value.strip()
    if len(value) > MAX_ANNOUNCEMENT:
        raise InvalidLiveAction(
            _("An announcement has at most %(max)d characters.") % {"max": MAX_ANNOUNCEMENT}, code="invalid_text"
        )
    return value


def _clean_translations(translations: Any, *, language: str) -> dict[str, str]:
    codes = {code for code, _name in settings.LANGUAGES}
    if translations is None:
        return {}
    if not isinstance(translations, dict):
        raise InvalidLiveAction(_("Translations are given per language."), code="invalid_translations")
    cleaned = {}
    for code, text in translations.items():
        if code not in codes:
            raise InvalidLiveAction(
                _("%(code)s is not a language of this site.") % {"code": str(code)[:10]}, code="invalid_translations"
            )
        if code == language or text in (None, ""):
            continue
        cleaned[code] = _clean_text(text, field=f"translations.{code}")
    return cleaned


def announcement_recipients(announcement: Announcement) -> list[str]:
    """The streams an announcement goes to (the control room always hears it)."""
    slug = announcement.event.slug
    streams = [event_control_stream(slug)]
    if announcement.audience == Announcement.Audience.EVENT:
        streams.append(event_public_stream(slug))
    elif announcement.audience == Announcement.Audience.ROLE:
        streams.append(event_role_stream(slug, announcement.role))
    else:
        # A session's attendees: the people who put it in their programme, on their own streams.
        user_ids = (
            Registration.objects.filter(
                event_id=announcement.event_id,
                sessions=announcement.session_id,
                status=Registration.Status.REGISTERED,
            )
            .values_list("user_id", flat=True)
            .distinct()
        )
        streams.extend(user_stream(uid) for uid in user_ids)
    return streams


@transaction.atomic
def announcement_send(
    *,
    event: Event,
    sender: User | None,
    text: str,
    audience: str = Announcement.Audience.EVENT,
    role: str = "",
    session: Session | None = None,
    language: str = "en",
    translations: dict[str, str] | None = None,
) -> Announcement:
    """Record an announcement and push it to its audience's phones and screens."""
    text = _clean_text(text, field="text")
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise InvalidLiveAction(_("Choose a language of this site."), code="invalid_language")
    if audience not in Announcement.Audience.values:
        raise InvalidLiveAction(_("Choose who the announcement is for."), code="invalid_audience")
    if audience == Announcement.Audience.ROLE:
        if role not in Registration.Role.values:
            raise InvalidLiveAction(_("Choose a role."), code="invalid_role")
    else:
        role = ""
    if audience == Announcement.Audience.SESSION:
        if session is None or session.event_id != event.pk:
            raise InvalidLiveAction(_("Choose a session of this event."), code="invalid_session")
    else:
        session = None
    announcement = Announcement.objects.create(
        event=event,
        audience=audience,
        role=role,
        session=session,
        text=text,
        language=language,
        translations=_clean_translations(translations, language=language),
        sent_by=sender if sender is not None and sender.is_authenticated else None,
    )
    data = {"announcement": announcement_payload(announcement)}
    for stream in announcement_recipients(announcement):
        publish(stream, "announcement.sent", data)
    return announcement
