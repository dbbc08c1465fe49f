"""The trainers' final-assessment page: each trainee's newest result, and a form to record one."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from checkin import final_assessment, training
from events.models import Event
from events.schemas import MAX_ID


def _parse(post: dict, today: date) -> tuple[dict, str | None]:
    """The form's fields, or the message of the first one that does not parse."""
    passed = post.get("passed", "")
    if passed not in ("yes", "no"):
        return {}, _("Choose passed or not passed.")
    score_text = post.get("score", "").strip()
    score = None
    if score_text:
        if not score_text.isascii() or not score_text.isdigit() or len(score_text) > 3:
            return {}, _("A score is a whole number from 0 to 100.")
        score = int(score_text)
    held_text = post.get("held_on", "").strip()
    try:
        held_on = date.fromisoformat(held_text) if held_text else today
    except ValueError:
        return {}, _("Give the date as YYYY-MM-DD.")
    return {"passed": passed == "yes", "score": score, "held_on": held_on, "note": post.get("note", "")}, None


@login_required
@require_http_methods(["GET", "POST"])
def final_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Every trainee's final assessment; trainers and organisers record a result (422 on a bad form)."""
    event = get_object_or_404(Event, slug=slug)
    if not training.may_run_training(user=request.user, event=event):
        raise PermissionDenied
    today = timezone.now().astimezone(event.tzinfo).date()
    error, status, error_for = None, 200, None
    if request.method == "POST":
        reg_text = request.POST.get("registration", "")
        if not reg_text.isascii() or not reg_text.isdigit() or int(reg_text) > MAX_ID:
            error, status = _("Choose a trainee."), 422
        else:
            registration = get_object_or_404(training.trainees(event=event).select_related("event"), pk=int(reg_text))
            error_for = registration.pk
            fields, error = _parse(request.POST, today)
            status = 422 if error else 200
            if not error:
                try:
                    final_assessment.final_assessment_record(registration=registration, by=request.user, **fields)
                except training.TrainingError as exc:
                    error, status = exc.message, exc.status
                else:
                    return redirect(f"{reverse('checkin:training_final', args=[event.slug])}#f{registration.pk}")
    context = {
        "event": event,
        "rows": final_assessment.final_assessments(event=event),
        "required": training.assessment_required(event),
        "today": today,
        "error": error,
        "error_for": error_for,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "checkin/training_final.html", context, status=status)
