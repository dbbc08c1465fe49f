"""Reading calendar emails the way a mail client does."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from django.core import mail


@dataclass
class CalendarMail:
    to: list[str]
    subject: str
    message: Message
    inline: Message
    attachment: Message

    @property
    def method(self) -> str:
        return self.inline.get_param("method")

    @property
    def ics(self) -> bytes:
        return self.inline.get_payload(decode=True)


def calendar_mails() -> list[CalendarMail]:
    """Every sent email that carries a text/calendar part, in sending order."""
    found = []
    for sent in mail.outbox:
        message = sent.message()
        parts = list(message.walk())
        inline = [p for p in parts if p.get_content_type() == "text/calendar"]
        attachments = [p for p in parts if p.get_filename()]
        if inline:
            attachment = attachments[0] if attachments else None
            found.append(CalendarMail(sent.to, sent.subject, message, inline[0], attachment))
    return found


def calendar_alone(sent) -> bool:
    """Whether a sent email is a calendar email on its own (an update, a cancellation, a session's
    invitation): a text/calendar part and no HTML one. A registration confirmation that carries the
    event's invitation has both, and is not one."""
    types = [mimetype for _content, mimetype in getattr(sent, "alternatives", [])]
    return any(t.startswith("text/calendar") for t in types) and "text/html" not in types
