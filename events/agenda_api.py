"""The API of a person's programme: `POST|DELETE /registrations/{id}/sessions/{session_id}`.

The person themself or an organiser; anyone else gets 404, as for the registration itself. What may
join a programme is events.agenda's rule (409 with a stable `reason` otherwise).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.errors import HttpError

from events import agenda, selectors
from events.models import Registration, Session
from events.schemas import MAX_ID, ErrorOut, RegistrationOut

router = Router(tags=["registrations"])

ERRORS: dict[int, Any] = dict.fromkeys((401, 404, 409, 422), ErrorOut)
ObjectIdPath = Path(..., ge=1, le=MAX_ID)


def _registration_and_session(
    request: HttpRequest, registration_id: int, session_id: int
) -> tuple[Registration, Session]:
    registration = selectors.registration_get(pk=registration_id)
    # Someone else's registration is "not found", not "forbidden": ids must not confirm who registered.
    if registration is None or not (selectors.is_organiser(request.user) or registration.user_id == request.user.pk):
        raise HttpError(404, _("No such registration."))
    session = Session.objects.filter(pk=session_id, event_id=registration.event_id).first()
    if session is None:
        raise HttpError(404, _("No such session at this event."))
    return registration, session


def _fresh(registration: Registration) -> Registration:
    return selectors.registration_get(pk=registration.pk)


@router.post("/registrations/{registration_id}/sessions/{session_id}", response={200: RegistrationOut, **ERRORS})
def programme_add(
    request: HttpRequest, registration_id: int = ObjectIdPath, session_id: int = ObjectIdPath
) -> Registration:
    """Add a session to the person's programme; their calendar gets an invitation. Adding it again changes nothing.

    409 `not_registered` (no confirmed place), `session_cancelled`, `session_ended`, `officials_only`
    (the person is not an official of the event), `session_full`.
    """
    registration, session = _registration_and_session(request, registration_id, session_id)
    agenda.programme_add(registration=registration, session=session)
    return _fresh(registration)


@router.delete("/registrations/{registration_id}/sessions/{session_id}", response={200: RegistrationOut, **ERRORS})
def programme_remove(
    request: HttpRequest, registration_id: int = ObjectIdPath, session_id: int = ObjectIdPath
) -> Registration:
    """Take a session out of the person's programme; their calendar gets a cancellation. Not in it: no change."""
    registration, session = _registration_and_session(request, registration_id, session_id)
    agenda.programme_remove(registration=registration, session=session)
    return _fresh(registration)
