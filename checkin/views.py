"""Pages of check-in: the scanner, ticket QR images, self check-in, posters, attendance, badges."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import user_passes_test
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from checkin import qr, reports, selectors, services, tasks
from checkin.badges import render_badges
from checkin.models import BadgeJob, Ticket
from checkin.tickets import poster_parse, poster_token
from config.csp import wasm_qr_decoder
from events.csv_rows import spreadsheet_safe
from events.models import Event, Registration
from events.schemas import MAX_ID
from events.selectors import api_token_from_raw

organiser_required = user_passes_test(selectors.is_organiser)


@wasm_qr_decoder
@ensure_csrf_cookie
def scan(request: HttpRequest, slug: str) -> HttpResponse:
    """The door scanner. A shell: its data comes from the API, with the staff login or a device token."""
    event = get_object_or_404(Event, slug=slug)
    return render(request, "checkin/scan.html", {"event": event, "config": selectors.scanner_page_config(event=event)})


def service_worker(request: HttpRequest) -> HttpResponse:
    """The scanner's service worker, served under /checkin/ so that it may control the scanner pages."""
    response = render(request, "checkin/sw.js", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _viewer(request: HttpRequest) -> Any:
    """Who asks: the bearer token's owner when the request has an Authorization header, else the session.

    The API hands out `qr_url`; the client that read it with a token fetches the image with the same
    token. A request with the header is judged by it alone (as the API's BrowserSessionAuth does): a
    bad token is nobody, whatever session cookie comes with it.
    """
    header = request.headers.get("Authorization")
    if header is None:
        return request.user
    scheme, _space, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.isascii():
        return None
    token = api_token_from_raw(raw.strip())
    return token.user if token is not None else None


def _registration_for_viewer(request: HttpRequest, registration_id: int) -> Registration:
    """The person themselves, organisers and the event's door staff see a ticket; nobody else."""
    if registration_id > MAX_ID:
        raise Http404
    registration = (
        Registration.objects.select_related("event", "user", "organisation").filter(pk=registration_id).first()
    )
    viewer = _viewer(request)
    if registration is None or viewer is None or not viewer.is_authenticated:
        raise Http404
    if registration.user_id != viewer.pk and not selectors.is_door_staff(user=viewer, event=registration.event):
        raise Http404
    return registration


def _ticket_of(registration: Registration) -> Ticket:
    """The registration's ticket. Reads never issue one: a registration without a seat has none, and
    a seated one has none only for the moment between its commit and the issuing after it (or until
    `manage.py tickets_backfill` when that failed). Both answer 404, which the page does not link to:
    it says the ticket is being prepared instead."""
    ticket = selectors.ticket_for_registration(registration=registration)
    if ticket is None:
        raise Http404("ticket_not_issued")
    return ticket


def ticket_qr(request: HttpRequest, registration_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("png", "svg"):
        raise Http404
    registration = _registration_for_viewer(request, registration_id)
    payload = selectors.ticket_payload(_ticket_of(registration))
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(payload), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(payload), content_type="image/png")
    # The image is the credential: keep it out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def badge_pdf(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _registration_for_viewer(request, registration_id)
    registration.ticket = _ticket_of(registration)
    pdf = render_badges([tasks.badge_for(registration)], total=1)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{registration.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def self_checkin(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where a venue poster's QR code leads. One tap checks the signed-in attendee in; only themselves."""
    event = get_object_or_404(Event, slug=slug)
    parsed = poster_parse(token)
    if parsed is None or parsed[0] != event.pk:
        raise Http404
    session = selectors.session_of_event(event=event, session_id=parsed[1]) if parsed[1] else None
    if parsed[1] and session is None:
        raise Http404
    context = {"event": event, "session": session, "outcome": None, "registration": None}
    if request.user.is_authenticated:
        context["registration"] = Registration.objects.filter(event=event, user=request.user).first()
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            status = 403
        else:
            outcome = services.self_checkin(event=event, user=request.user, session=session)
            context["outcome"] = outcome.body
            status = outcome.status if outcome.status >= 400 else 200
    return render(request, "checkin/self_checkin.html", context, status=status)


@organiser_required
def poster(request: HttpRequest, slug: str) -> HttpResponse:
    """A printable poster with a QR code for self check-in to the event or one session (?session=ID)."""
    event = get_object_or_404(Event, slug=slug)
    session = None
    raw = request.GET.get("session", "")
    if raw:
        # isascii: "²".isdigit() is true but int() refuses it; 18 digits always fit a bigint.
        is_id = raw.isascii() and raw.isdigit() and len(raw) < 19
        session = selectors.session_of_event(event=event, session_id=int(raw) if is_id else None)
        if session is None:
            raise Http404
    token = poster_token(event_id=event.pk, session_id=session.pk if session else None)
    url = request.build_absolute_uri(reverse("checkin:self", args=[event.slug, token]))
    return render(
        request, "checkin/poster.html", {"event": event, "session": session, "url": url, "svg": qr.qr_svg(url)}
    )


@organiser_required
def attendance(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    report = reports.attendance_report(event=event)
    return render(request, "checkin/attendance.html", {"event": event, **report})


@organiser_required
def attendance_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    report = reports.attendance_report(event=event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.slug}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("Email"), _("Organisation"), _("Role"), _("Attended"), _("Held"), _("Percent"), _("Qualifies")]
        + [spreadsheet_safe(s.title) for s in report["sessions"]]
    )
    for row in report["rows"]:
        writer.writerow(
            [
                spreadsheet_safe(row["name"]),
                spreadsheet_safe(row["email"]),
                spreadsheet_safe(row["organisation"]),
                row["role"],
                row["attended"],
                row["held"],
                row["percent"],
                _("yes") if row["qualifies"] else _("no"),
            ]
            + [1 if present else 0 for present in row["sessions"]]
        )
    return response


@organiser_required
@ensure_csrf_cookie
def badges(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    job = BadgeJob.objects.filter(event=event).first()
    return render(request, "checkin/badges.html", {"event": event, "job": job})


@organiser_required
def badge_job_pdf(request: HttpRequest, job_id: int) -> HttpResponse:
    if job_id > MAX_ID:
        raise Http404
    job = get_object_or_404(BadgeJob, pk=job_id, status=BadgeJob.Status.DONE)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), content_type="application/pdf", filename=f"badges-{job.event.slug}.pdf")


@organiser_required
def scan_log(request: HttpRequest, slug: str) -> HttpResponse:
    """The audit log with an undo button on each check-in."""
    event = get_object_or_404(Event, slug=slug)
    return render(request, "checkin/log.html", {"event": event, "rows": reports.scan_log(event=event)})


@organiser_required
@require_http_methods(["POST"])
def scan_undo(request: HttpRequest, slug: str, scan_id: int) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import redirect

    from checkin.exceptions import CheckinError

    event = get_object_or_404(Event, slug=slug)
    if scan_id > MAX_ID:
        raise Http404
    get_object_or_404(event.scans, pk=scan_id)
    try:
        services.checkin_undo(scan_id=scan_id, by=request.user)
    except CheckinError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The check-in was undone."))
    return redirect("checkin:log", slug=event.slug)
