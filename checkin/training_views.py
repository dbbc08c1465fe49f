"""Pages of a training's attendance: the trainers' grid and its CSV, one cell's correction, "my progress"."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from checkin import training, training_export
from events import hooks
from events.models import Event
from events.schemas import MAX_ID


def _event_for_trainers(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not training.may_run_training(user=request.user, event=event):
        raise PermissionDenied
    return event


def _cells_html(row: dict[str, Any], mark_base: str) -> str:
    """A row's cells as HTML, built here rather than in the template: 25 trainees × 120 sessions are
    3,000 cells, which the template language takes several times longer to loop over."""
    base = f"{escape(mark_base)}{row['registration'].pk}/"
    parts = []
    for value, sign, label, marked, session_id in row["cells"]:
        if not value:
            parts.append('<td class="upcoming">·</td>')
            continue
        star = "*" if marked else ""
        parts.append(
            f'<td class="{escape(value)}"><a href="{base}{session_id}/" title="{escape(label)}" '
            f'data-session="{session_id}">{sign}{star}</a></td>'
        )
    # Every variable part is escaped or an integer.
    return mark_safe("".join(parts))


@login_required
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    """Trainees × sessions by month and module, for this training's trainers and organisers."""
    event = _event_for_trainers(request, slug)
    context = training.training_grid(event=event)
    mark_base = reverse("checkin:training", args=[event.slug])
    for row in context["rows"]:
        row["cells_html"] = _cells_html(row, mark_base)
    context["event"] = event
    return render(request, "checkin/training_grid.html", context)


@login_required
def grid_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_for_trainers(request, slug)
    data = training.training_grid(event=event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-attendance-{event.slug}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the names as UTF-8
    writer = csv.writer(response)
    header, rows = training_export.grid_table(data)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@login_required
def grid_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """The grid as an XLSX workbook, the same table as the CSV."""
    event = _event_for_trainers(request, slug)
    data = training.training_grid(event=event)
    response = HttpResponse(
        training_export.grid_xlsx(data, title=event.title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="training-attendance-{event.slug}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def mark(request: HttpRequest, slug: str, registration_id: int, session_id: int) -> HttpResponse:
    """One cell: its history, and a trainer's correction with a reason (422 without one)."""
    event = _event_for_trainers(request, slug)
    if registration_id > MAX_ID or session_id > MAX_ID:
        raise Http404
    registration = get_object_or_404(training.trainees(event=event), pk=registration_id)  # only trainees have cells
    session = get_object_or_404(event.sessions.select_related("event"), pk=session_id)
    error = None
    status = 200
    if request.method == "POST":
        try:
            training.attendance_mark(
                registration=registration,
                session=session,
                value=request.POST.get("value", ""),
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
        except training.TrainingError as exc:
            error, status = exc, exc.status
        else:
            return redirect(f"{reverse('checkin:training', args=[event.slug])}#r{registration.pk}")
    context = {
        "event": event,
        "registration": registration,
        "session": session,
        "starts": session.starts_at.astimezone(event.tzinfo),
        "cell": training.cell_history(registration=registration, session=session),
        "choices": training.Value.choices,
        "error": error,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "checkin/training_mark.html", context, status=status)


@login_required
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    """The signed-in trainee's own attendance; nobody else's, whoever asks."""
    event = get_object_or_404(Event, slug=slug)
    registration = (
        training.trainees(event=event).filter(user=request.user).select_related("event").first()
        if request.user.is_authenticated
        else None
    )
    if registration is None:
        raise Http404
    context = training.trainee_progress(registration=registration)
    # Skill levels live in matching, which checkin may not import: it provides them as a figure.
    skills = hooks.figure("trainee_skill_progression")
    context["skill_progression"] = skills(registration=registration) if skills else None
    return render(request, "checkin/training_progress.html", context)
