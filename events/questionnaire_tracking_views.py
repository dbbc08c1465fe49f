"""Tracking a questionnaire's personal links: who was sent one, who opened, started, submitted (issue 13).

At /programmes/<slug>/questionnaires/<id>/tracking. Organisers and programme staff only
(events/stakeholder_selectors.may_see_stakeholders), as the stakeholder pages: anyone else signed
in gets a 404, a visitor is sent to sign in. Sending, revoking and resending go through
events/questionnaire_links.py, the only writer of invitations.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from events import questionnaire_links as links
from events.exceptions import EventsError
from events.models import Questionnaire, QuestionnaireInvitation, Stakeholder
from events.programme_selectors import programme_get
from events.questionnaire_models import pick_text
from events.stakeholder_selectors import may_see_stakeholders

STATUS_LABELS = {
    "queued": gettext_lazy("Queued"),
    "sent": gettext_lazy("Sent"),
    "opened": gettext_lazy("Opened"),
    "in_progress": gettext_lazy("In progress"),
    "submitted": gettext_lazy("Submitted"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
}


class SendForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Stakeholder types (none ticked: every type)"),
        choices=Stakeholder.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Email language for contacts without an account"),
        choices=[
            ("", gettext_lazy("By where the stakeholder is")),
            ("en", "English"),
            ("ar", "العربية"),
            ("lt", "Lietuvių"),
            ("ckb", "کوردی"),
        ],
        required=False,
    )


def _allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, questionnaire_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        programme = programme_get(slug=slug)
        if programme is None or not may_see_stakeholders(user=request.user, programme=programme):
            raise Http404(_("No such programme."))
        questionnaire = Questionnaire.objects.filter(programme=programme, pk=questionnaire_id).first()
        if questionnaire is None:
            raise Http404(_("No such questionnaire."))
        return view(request, questionnaire, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, questionnaire: Questionnaire, form: SendForm, status: int = 200) -> HttpResponse:
    rows, counts = links.tracking_rows(questionnaire=questionnaire)
    language = request.LANGUAGE_CODE
    context = {
        "questionnaire": questionnaire,
        "programme": questionnaire.programme,
        "title": pick_text(questionnaire.title, language),
        "rows": [{**row, "label": STATUS_LABELS[row["status"]]} for row in rows],
        "counts": [(status, STATUS_LABELS[status], counts[status]) for status in links.STATUSES],
        "total": len(rows),
        "form": form,
        "accepts_answers": questionnaire.accepts_answers(),
        # Two forms a row: the address and the CSRF token made once, not a thousand times for 500 rows.
        "base": reverse("questionnaire_tracking:tracking", args=[questionnaire.programme.slug, questionnaire.pk]),
        "csrf": get_token(request),
    }
    return render(request, "questionnaires/tracking.html", context, status=status)


@require_GET
@_allowed
def tracking(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    return _page(request, questionnaire, SendForm())


def _back(questionnaire: Questionnaire) -> HttpResponse:
    return redirect(
        "questionnaire_tracking:tracking", slug=questionnaire.programme.slug, questionnaire_id=questionnaire.pk
    )


@require_POST
@_allowed
def send(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    form = SendForm(request.POST)
    if not form.is_valid():
        return _page(request, questionnaire, form, status=400)
    try:
        report = links.invitations_send(
            questionnaire=questionnaire,
            actor=request.user,
            kinds=form.cleaned_data["kinds"],
            language=form.cleaned_data["language"],
        )
    except EventsError as exc:
        messages.error(request, exc.message)
        return _back(questionnaire)
    messages.success(
        request,
        _("Links sent: %(sent)s. Already holding a live link: %(already)s. Contacts without an email: %(none)s.")
        % {"sent": len(report.invited), "already": report.already, "none": report.without_email},
    )
    return _back(questionnaire)


def _invitation(questionnaire: Questionnaire, invitation_id: int) -> QuestionnaireInvitation:
    invitation = questionnaire.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404(_("No such invitation."))
    return invitation


@require_POST
@_allowed
def revoke(request: HttpRequest, questionnaire: Questionnaire, invitation_id: int) -> HttpResponse:
    invitation = _invitation(questionnaire, invitation_id)
    try:
        links.invitation_revoke(invitation=invitation, actor=request.user)
    except EventsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The link of %(email)s no longer works.") % {"email": invitation.email})
    return _back(questionnaire)


@require_POST
@_allowed
def resend(request: HttpRequest, questionnaire: Questionnaire, invitation_id: int) -> HttpResponse:
    invitation = _invitation(questionnaire, invitation_id)
    try:
        links.invitation_resend(invitation=invitation, actor=request.user)
    except EventsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A fresh link is on its way to %(email)s.") % {"email": invitation.email})
    return _back(questionnaire)
