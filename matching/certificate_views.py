"""Certificate pages: the public verification page, the trainee's own certificates and PDF, the organisers' page.

The verification page is for anyone, signed in or not: it shows only what the certificate states.
Codes are not worth guessing (matching/certificates.py), and a client's misses are rate-limited
besides (the `certificate_lookup` scope of config/ratelimit.py): past the limit it gets the 429 page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from checkin import training
from checkin.selectors import is_organiser
from config import ratelimit
from events.models import Event
from events.schemas import MAX_ID
from matching import certificates
from matching.certificate_models import Certificate
from matching.certificate_pdf import certificate_pdf_bytes
from matching.skill_names import skill_label


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Where an employer types a code from a paper certificate."""
    raw = request.GET.get("code", "")
    code = certificates.normalise(raw) if raw else None
    if code is not None:
        return redirect("certificates:verify", code=certificates.grouped(code))
    if raw:
        ratelimit.hit("certificate_lookup", request=request)
    error = _("This is not a certificate code: it has 16 letters and digits, as on the certificate.") if raw else ""
    return render(request, "certificates/verify_form.html", {"error": error}, status=400 if raw else 200)


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Whether a certificate is genuine and valid, revoked, or not found: for anyone, in their language."""
    lookup = certificates.certificate_lookup(raw=code)
    if not lookup.found:
        # Only misses count: an employer checking real certificates is never slowed down.
        ratelimit.hit("certificate_lookup", request=request)
    normalised = certificates.normalise(code)
    context = {
        "lookup": lookup,
        "certificate": lookup.certificate,
        "code": certificates.grouped(normalised) if normalised else code[: certificates.INPUT_MAX],
        "skills": [
            (skill_label(s.get("name", ""), s.get("names") or {}), s.get("level"))
            for s in (lookup.certificate.skills if lookup.certificate else [])
        ],
    }
    response = render(request, "certificates/verify.html", context, status=200 if lookup.found else 404)
    # The answer changes when a certificate is revoked: no cache may keep "valid".
    response["Cache-Control"] = "no-store"
    # Names are for whoever holds the code, not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's certificates, with their PDFs."""
    rows = Certificate.objects.filter(user=request.user).order_by("-issued_at", "-id")
    items = [{"certificate": c, "code": certificates.grouped(c.code)} for c in rows]
    return render(request, "certificates/mine.html", {"items": items})


@login_required
@require_GET
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    """A certificate's PDF: for the trainee it names while it is valid, and for organisers."""
    normalised = certificates.normalise(code)
    certificate = Certificate.objects.filter(code=normalised).first() if normalised else None
    organiser = is_organiser(request.user)
    if certificate is None or not (organiser or (certificate.user_id == request.user.pk and certificate.is_valid)):
        raise Http404
    response = HttpResponse(certificate_pdf_bytes(certificate=certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def _training_for_organisers(request: HttpRequest, slug: str) -> Event:
    if not is_organiser(request.user):
        raise PermissionDenied
    return get_object_or_404(Event, slug=slug, kind=Event.Kind.TRAINING)


def _post_id(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    if not value.isdigit() or len(value) > 18 or int(value) > MAX_ID:
        return None
    return int(value)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """One training's certificates for organisers: issue to all who completed in one click, one by one, revoke."""
    event = _training_for_organisers(request, slug)
    error, status, notice = None, 200, request.GET.get("done", "")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "issue_all":
                made = certificates.certificates_issue_completed(event=event, by=request.user)
                return redirect(f"{reverse('certificates:manage', args=[event.slug])}?done=issued-{len(made)}")
            if action == "issue":
                pk = _post_id(request, "registration")
                registration = training.trainees(event=event).filter(pk=pk).select_related("event").first()
                if pk is None or registration is None:
                    raise certificates.CertificateError(_("Not found."), code="not_found", status=404)
                certificates.certificate_issue(
                    registration=registration, by=request.user, name_arabic=request.POST.get("name_arabic", "")
                )
                return redirect(f"{reverse('certificates:manage', args=[event.slug])}#r{registration.pk}")
            if action == "revoke":
                pk = _post_id(request, "certificate")
                certificate = Certificate.objects.filter(event=event, pk=pk).first() if pk is not None else None
                if certificate is None:
                    raise certificates.CertificateError(_("Not found."), code="not_found", status=404)
                certificates.certificate_revoke(
                    certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
                )
                return redirect(f"{reverse('certificates:manage', args=[event.slug])}?done=revoked")
            raise certificates.CertificateError(_("Unknown action."), code="invalid_action", status=400)
        except certificates.CertificateError as exc:
            error, status = exc, exc.status
    grid = training.training_grid(event=event)
    by_user: dict[int, list[Certificate]] = {}
    for certificate in Certificate.objects.filter(event=event).order_by("-issued_at", "-id"):
        by_user.setdefault(certificate.user_id, []).append(certificate)
    rows = []
    for row in grid["rows"]:
        held = by_user.get(row["registration"].user_id, [])
        valid = next((c for c in held if c.is_valid), None)
        rows.append(
            {
                "registration": row["registration"],
                "name": row["name"],
                "standing": row["standing"],
                "completed": row["standing"].status == "met",
                "valid": valid,
                "valid_code": certificates.grouped(valid.code) if valid else "",
                "revoked": [(c, certificates.grouped(c.code)) for c in held if not c.is_valid],
            }
        )
    waiting = sum(1 for r in rows if r["completed"] and r["valid"] is None)
    count = notice.removeprefix("issued-")
    issued = int(count) if notice.startswith("issued-") and count.isdigit() and len(count) < 6 else None
    context = {
        "event": event,
        "rows": rows,
        "waiting": waiting,
        "error": error,
        "issued": issued,
        "revoked_notice": notice == "revoked",
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "certificates/manage.html", context, status=status)
