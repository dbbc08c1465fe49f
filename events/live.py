"""Live pages' payloads and announcements.

What a live message carries: a session or an announcement as whole objects, never deltas, so
applying one twice or after a snapshot is harmless, and the streams each goes to. Sessions change
only through events.sessions, which publishes them with these payloads; announcements are sent here
(one transaction each, published after the commit).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from events.exceptions import InvalidLiveAction
from events.models import Announcement, Event, Registration, Session, User
from realtime.groups import (
    event_attendees_stream,
    event_control_stream,
    event_public_stream,
    event_role_stream,
    user_stream,
)
from realtime.publish import publish_on_commit

MAX_ANNOUNCEMENT = 1000


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
        publish_on_commit(stream, "announcement.sent", data)
    return announcement
