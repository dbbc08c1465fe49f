"""JSON API of check-in: the door scan, the scanner page's data, undo, devices, attendance, badges.

Door endpoints accept door staff by their own login (session with CSRF, or an API bearer token) or
a scanner device token (`Authorization: Bearer eed_…`) an organiser issued for one event.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router
from ninja.security import HttpBearer
from pydantic import AwareDatetime, StrictInt, StrictStr, StringConstraints

from checkin import reports, selectors, services
from checkin.exceptions import CheckinError
from checkin.models import BadgeJob, ScannerDevice
from config.auth import ORGANISER_AUTH, REQUIRED_AUTH
from config.pagination import Mapped, paginated
from events.models import Event
from events.schemas import MAX_ID, BodyIn, ErrorOut, line

router = Router(tags=["checkin"])

# Every answer a handler can give is in the OpenAPI document (config/api.py gives errors one shape).
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)

GATE_PATTERN = r"^[\w .\-]*$"
Gate = Annotated[StrictStr, StringConstraints(strip_whitespace=True, max_length=40, pattern=GATE_PATTERN)]
IdPath = Path(..., ge=1, le=MAX_ID)
ScanId = Annotated[StrictStr, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$")]


class DeviceAuth(HttpBearer):
    """A scanner device token. Other bearer tokens fall through to the next authenticator."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(ScannerDevice.TOKEN_PREFIX):
            return None
        device = selectors.device_from_token(token)
        if device is not None:
            request.checkin_device = device  # type: ignore[attr-defined]
        return device


# A paired phone's device token first, then door staff by their own bearer token or session.
DOOR_AUTH = [DeviceAuth(), *REQUIRED_AUTH]


class ScanIn(BodyIn):
    payload: Annotated[StrictStr, StringConstraints(max_length=2000)]
    event: Annotated[StrictStr, StringConstraints(min_length=1, max_length=80)]
    gate: Gate = ""
    direction: Literal["in", "out"] = "in"
    session: Annotated[StrictInt, Field(ge=1, le=MAX_ID)] | None = None
    client_scan_id: ScanId = ""
    scanned_at: AwareDatetime | None = None


class DeviceIn(BodyIn):
    name: line(100, min_length=1)  # type: ignore[valid-type]


def _json(status: int, body: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 429:
        response["Retry-After"] = str(body.get("retry_after", 60))
    return response


def _device(request: HttpRequest) -> ScannerDevice | None:
    return getattr(request, "checkin_device", None)


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _event(slug: str) -> Event:
    event = selectors.event_for_scanning(slug=slug)
    if event is None:
        raise CheckinError("not_found", _("No such event."))
    return event


def _door_event(request: HttpRequest, slug: str) -> Event:
    event = _event(slug)
    if not selectors.may_scan(user=_user(request), device=_device(request), event=event):
        raise CheckinError("forbidden")
    return event


@router.post("/checkin/scan", response={200: dict, 201: dict, **ERRORS, 429: ErrorOut}, auth=DOOR_AUTH)
def scan(request: HttpRequest, body: ScanIn) -> JsonResponse:
    """Check a scanned ticket in or out.

    201 `ok`; 200 `already_checked_in`, or `superseded` (an offline scan synced after a newer scan of
    the same ticket: recorded, not applied); errors with a stable `reason`: 400 `invalid`, 403
    `forbidden`, 404 `not_found`, 409 `wrong_event`, `cancelled`, `waitlisted`, `not_open`,
    `session_full`, `not_registered_for_session` or `idempotency_conflict` (a `client_scan_id` reused
    with another payload, direction, gate or session; the same body gets the stored answer again),
    422 `validation`, 429 `throttled`. See docs/checkin.md.
    """
    event = _event(body.event)
    session = None
    if body.session is not None:
        session = selectors.session_of_event(event=event, session_id=body.session)
        if session is None:
            raise CheckinError("not_found", _("No such session at this event."))
    outcome = services.checkin_scan(
        event=event,
        payload=body.payload,
        direction=body.direction,
        gate=body.gate,
        session=session,
        client_scan_id=body.client_scan_id,
        scanned_at=body.scanned_at,
        user=_user(request),
        device=_device(request),
    )
    if (device := _device(request)) is not None:
        services.device_seen(device=device)
    return _json(outcome.status, outcome.body)


@router.get("/checkin/ping", response={200: dict, **ERRORS}, auth=DOOR_AUTH)
def ping(request: HttpRequest) -> dict[str, Any]:
    """Is this phone paired (or this person signed in)? The cheapest authenticated call: a health check,
    and the baseline bench/checkin.py measures the scan against."""
    device = _device(request)
    return {"ok": True, "device": device.pk if device is not None else None}


@router.get("/checkin/events/{slug}/scanner", response={200: dict, **ERRORS}, auth=DOOR_AUTH)
def scanner_config(request: HttpRequest, slug: str) -> dict[str, Any]:
    """What the scanner page needs at start: the event, its sessions, the check-in window."""
    event = _door_event(request, slug)
    return selectors.scanner_config(event=event, device=_device(request))


@router.get("/checkin/events/{slug}/stream-ticket", response={200: dict, **ERRORS}, auth=DOOR_AUTH)
def stream_ticket(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A signed pass (valid two minutes) for the gate's live-count WebSocket, for device-token phones."""
    event = _door_event(request, slug)
    return {"ticket": selectors.stream_ticket(event=event, user=_user(request), device=_device(request))}


@router.get("/checkin/events/{slug}/offline", response={200: dict, **ERRORS}, auth=DOOR_AUTH)
def offline_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Hashes of every ticket payload with the state to show, for scanning while offline."""
    event = _door_event(request, slug)
    return selectors.offline_list(event=event)


@router.get("/checkin/events/{slug}/search", response={200: list[dict], **ERRORS}, auth=DOOR_AUTH)
@paginated
def search(request: HttpRequest, slug: str, q: str = "") -> list[dict[str, Any]]:
    """Find a person by name or email when their code will not scan; each result carries the payload."""
    event = _door_event(request, slug)
    # Everyone seated has a ticket from the commit that seated them on (events.hooks); a person
    # without one (no seat) comes back with `payload: null` and no check-in button.
    return selectors.attendee_search_results(event=event, query=q[:100])


@router.get("/checkin/events/{slug}/counts", response={200: dict, **ERRORS}, auth=DOOR_AUTH)
def counts(request: HttpRequest, slug: str, gate: str = "") -> dict[str, Any]:
    """Snapshot of the live counts (the `checkin.counts` message of the dashboard stream)."""
    event = _door_event(request, slug)
    return selectors.counts_snapshot(event=event, gate=gate[:40] or None)


@router.get("/checkin/events/{slug}/scans", response={200: list[dict], **ERRORS}, auth=ORGANISER_AUTH)
@paginated
def scan_log(request: HttpRequest, slug: str) -> Mapped:
    """The audit log: every attempt and undo, newest first."""
    event = _event(slug)
    return Mapped(reports.scans_for_event(event=event), lambda scan: reports.scan_row(scan=scan, event=event))


@router.post("/checkin/scans/{scan_id}/undo", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def undo(request: HttpRequest, scan_id: int = IdPath) -> dict[str, Any]:
    """Revert a mistaken check-in; the undo is recorded in the audit log too."""
    entry = services.checkin_undo(scan_id=scan_id, by=request.user)
    return {"status": "undone", "scan": scan_id, "undo": entry.pk}


@router.get("/checkin/events/{slug}/devices", response={200: list[dict], **ERRORS}, auth=ORGANISER_AUTH)
@paginated
def device_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return reports.device_list(event=_event(slug))


@router.post("/checkin/events/{slug}/devices", response={201: dict, **ERRORS}, auth=ORGANISER_AUTH)
def device_create(request: HttpRequest, slug: str, body: DeviceIn) -> JsonResponse:
    """Pair a scanner phone with this event. The token is shown once; open `pair_url` on the phone."""
    event = _event(slug)
    device, raw = services.device_create(event=event, name=body.name, created_by=request.user)
    return _json(201, {"id": device.pk, "name": device.name, "token": raw, "pair_url": selectors.pair_url(event, raw)})


@router.delete("/checkin/devices/{device_id}", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def device_revoke(request: HttpRequest, device_id: int = IdPath) -> dict[str, Any]:
    device = ScannerDevice.objects.filter(pk=device_id).first()
    if device is None:
        raise CheckinError("not_found")
    device = services.device_revoke(device=device)
    return {"id": device.pk, "revoked_at": device.revoked_at.isoformat() if device.revoked_at else None}


@router.get("/checkin/events/{slug}/attendance", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def attendance(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Sessions attended of sessions held, per participant, and who reaches the completion threshold."""
    return reports.attendance_json(event=_event(slug))


@router.post("/checkin/events/{slug}/badges", response={202: dict, **ERRORS}, auth=ORGANISER_AUTH)
def badges_start(request: HttpRequest, slug: str) -> JsonResponse:
    """Start rendering every badge of the event as one PDF, in the background."""
    job = services.badge_job_start(event=_event(slug), requested_by=request.user)
    return _json(202, reports.badge_job_json(job))


@router.get("/checkin/badge-jobs/{job_id}", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def badge_job(request: HttpRequest, job_id: int = IdPath) -> dict[str, Any]:
    job = BadgeJob.objects.filter(pk=job_id).first()
    if job is None:
        raise CheckinError("not_found")
    return reports.badge_job_json(job)
