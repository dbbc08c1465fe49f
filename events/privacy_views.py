"""The person's privacy page at /me/privacy/: what we hold and why, consents, CV views, download, erase.

Views parse input, call one selector or service and render; the rules live in events/privacy.py,
events/personal_data.py and events/consents.py (the only writer of consents).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events import privacy
from events.consents import CONSENT_TEXTS, consent_withdraw
from events.exceptions import EventsError
from events.models import Consent
from events.personal_data import personal_data_export, personal_data_summary


def _with_texts(consents: list[Consent]) -> list[Consent]:
    # The words the person agreed to, where that version's text is still the one we ship.
    texts = {t.version: t.text for t in CONSENT_TEXTS.values()}
    for consent in consents:
        consent.text_shown = texts.get(consent.text_version, "")
    return consents


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    user = request.user
    context: dict[str, object] = {
        "summary": personal_data_summary(user=user),
        "consents": _with_texts(privacy.consent_rows(user=user)),
        "cv_views": privacy.cv_views(user=user),
        "retention": privacy.retention_dates(user=user),
        "is_organiser": user.is_staff or user.is_superuser,
        "erase_error": "",
        "typed_email": "",
    }
    context.update(extra)
    return context


@require_safe
def privacy_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # Attendees sign in through their emailed link; "My registrations" explains how.
        return redirect("events:me")
    return render(request, "events/privacy.html", _context(request))


@require_safe
def privacy_data(request: HttpRequest) -> HttpResponse:
    """Everything about the person as one JSON file (the same document as GET /api/v1/me/data)."""
    if not request.user.is_authenticated:
        return redirect("events:me")
    document = personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def privacy_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("events:me")
    consent = Consent.objects.filter(pk=pk, user=request.user).select_related("event").first()
    if consent is None:
        raise Http404
    if consent.withdrawn_at is None:
        try:
            consent_withdraw(
                user=request.user,
                actor=request.user,
                event=consent.event,
                purpose=consent.purpose,
                source=Consent.Source.PAGE,
                client=request.path,
            )
        except EventsError as exc:
            messages.error(request, exc.message)
            return redirect("privacy:page")
    messages.success(request, _("Your consent is withdrawn."))
    return redirect("privacy:page")


@require_POST
def privacy_erase(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("events:me")
    typed = request.POST.get("email", "")[:254]
    try:
        privacy.erasure_request(user=request.user, confirm_email=typed, by=request.user)
    except EventsError as exc:
        context = _context(request, erase_error=exc.message, typed_email=typed)
        return render(request, "events/privacy.html", context, status=exc.status)
    logout(request)
    return render(request, "events/privacy_erased.html")
