"""Signed "accept" and "decline" links in a meeting request's email (as events/links.py signs its links).

A link answers one request one way, for the candidate it was sent to, and nothing else: it names the
request, the candidate, their address, the answer and the request's expiry, under a salt of its own
(so it can never pass for a "my registration" link, nor the reverse). It stops working when the
request closes or expires, when the address changes, or when the account is deactivated. It signs
nobody in: the page it opens shows the request and answers it with one tap, and links never act for
staff or superusers, who answer on their signed-in page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core import signing
from django.urls import reverse

from matching.models import MeetingRequest

_SALT = "matching.meeting-request-answer"
Answer = Literal["accept", "decline"]
ANSWERS: tuple[Answer, ...] = ("accept", "decline")


def answer_token(request: MeetingRequest, answer: Answer) -> str:
    candidate = request.candidate
    data = {
        "r": request.pk,
        "u": candidate.pk,
        "m": candidate.email,
        "a": answer,
        # The link expires with the request it answers (checked against the row, too).
        "x": int(request.expires_at.timestamp()),
    }
    return signing.dumps(data, salt=_SALT, compress=True)


def answer_url(request: MeetingRequest, answer: Answer) -> str:
    return settings.SITE_URL + reverse("matching:answer", args=[answer_token(request, answer)])


@dataclass(frozen=True)
class SignedAnswer:
    request: MeetingRequest
    answer: Answer


def answer_from_token(token: str) -> SignedAnswer | None:
    """What an answer link names, or None if it is forged, for someone else, stale or for staff.

    Whether the request is still open is the service's question (`request_closed`): the page says
    so in words instead of "invalid link".
    """
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") not in ANSWERS:
        return None
    request = (
        MeetingRequest.objects.select_related("event", "organisation", "opening", "candidate")
        .filter(pk=data.get("r"), candidate_id=data.get("u"), sent_by=MeetingRequest.From.EMPLOYER)
        .first()
    )
    if request is None:
        return None
    person = request.candidate
    if not person.is_active or person.email != data.get("m") or person.is_staff or person.is_superuser:
        return None
    if int(request.expires_at.timestamp()) != data.get("x"):
        return None
    return SignedAnswer(request=request, answer=data["a"])
