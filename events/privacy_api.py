"""The person's data rights in the API: download everything about me, erase my account.

A bearer token or the browser session (with CSRF) identifies the person; nobody reaches another
person's data here, organisers included (they use the admin or `manage.py erase_person`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from events import privacy
from events.personal_data import personal_data_export
from events.schemas import ErrorOut

router = Router(tags=["privacy"])

ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 409, 422), ErrorOut)


class ErasureIn(Schema):
    email: str = Field(max_length=254, description="The account's email address, typed again to confirm.")


class ErasureOut(Schema):
    status: str = Field(description='"erased"')
    erased_at: str


@router.get("/me/data", response={200: dict, **ERRORS})
def my_data(request: HttpRequest) -> dict[str, Any]:
    """One JSON document with every row about you across the platform (account, registrations, tickets,
    scans, attendance, profile and CV as base64, consents, meetings, employers' notes, emails sent to you…)."""
    return personal_data_export(user=request.user)


@router.post("/me/erasure", response={200: ErasureOut, **ERRORS})
def my_erasure(request: HttpRequest, payload: ErasureIn) -> dict[str, Any]:
    """Erase your account: it becomes an anonymous tombstone, your CV is deleted, tokens and links stop working.

    Send your account's email address as `email` to confirm; anything else is a 422 `email_mismatch`.
    """
    user = request.user
    privacy.erasure_request(user=user, confirm_email=payload.email, by=user)
    user.refresh_from_db(fields=["erased_at"])
    if getattr(request, "session", None) is not None and request.session.session_key:
        logout(request)
    return {"status": "erased", "erased_at": user.erased_at.isoformat()}
