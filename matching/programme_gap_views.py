"""A programme's three-way skills gap (page and CSV) and its "Needs assessment" report (PDF and CSV).

Organisers and programme staff only (events.stakeholder_selectors.may_see_stakeholders), as the
answers the report is built from: a visitor is sent to sign in, anyone else gets the 403 page.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from events.models import Programme, Questionnaire
from events.programme_selectors import programme_get
from events.questionnaire_analysis import questionnaire_summary, skill_labels
from events.questionnaire_charts import GroupRow, Series, grouped_chart
from events.questionnaire_csv import programme_answers_csv
from events.stakeholder_selectors import may_see_stakeholders
from matching.needs_assessment_pdf import needs_assessment_pdf_bytes
from matching.programme_gap import programme_gap, programme_gap_csv

CHART_ROWS = 15  # a phone reads this many skills; the table and the CSV have every one


def programme_for(request: HttpRequest, slug: str) -> Programme | HttpResponse:
    """The programme if the person may read its needs assessment; a sign-in redirect for a visitor."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    programme = programme_get(slug=slug)
    if programme is None:
        raise Http404
    if not may_see_stakeholders(user=request.user, programme=programme):
        raise PermissionDenied
    return programme


def gap_chart(report: dict, *, rtl: bool) -> str:
    series = [
        Series("taught", _("Taught"), "#2e7d32"),
        Series("demand", _("Demand"), "#0b5cad"),
        Series("holders", _("Holders"), "#ef6c00"),
    ]
    rows = [
        GroupRow(r["skill"], r["label"], (r["taught"], r["demand"], r["holders"]))
        for r in report["active"][:CHART_ROWS]
    ]
    return grouped_chart(
        chart_id="three-way-gap",
        title=_("Taught, demanded and held, per skill (largest shortage first)"),
        series=series,
        rows=rows,
        rtl=rtl,
        empty=_("No skills taught, demanded or held yet."),
    )


@require_GET
def skills_gap_page(request: HttpRequest, slug: str) -> HttpResponse:
    """`/programmes/<slug>/skills-gap`: one table and one chart, sorted by the largest shortage."""
    programme = programme_for(request, slug)
    if isinstance(programme, HttpResponse):
        return programme
    report = programme_gap(programme=programme)
    return render(
        request,
        "matching/programme_gap.html",
        {
            "programme": programme,
            "report": report,
            "chart": gap_chart(report, rtl=get_language_bidi()),
            "events": list(programme.events.order_by("starts_at", "id")),
        },
    )


@require_GET
def skills_gap_csv(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if isinstance(programme, HttpResponse):
        return programme
    response = HttpResponse(
        programme_gap_csv(programme_gap(programme=programme)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-skills-gap.csv"'
    return response


def _summaries(programme: Programme, language: str) -> list[dict]:
    labels = skill_labels(language=language)
    questionnaires = programme.questionnaires.exclude(status=Questionnaire.Status.DRAFT).order_by("created_at", "id")
    return [questionnaire_summary(questionnaire=q, language=language, labels=labels) for q in questionnaires]


@require_GET
def needs_assessment_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The downloadable report: every questionnaire's answers, charts and tables, and the three-way gap."""
    programme = programme_for(request, slug)
    if isinstance(programme, HttpResponse):
        return programme
    language = get_language() or "en"
    body = needs_assessment_pdf_bytes(
        programme=programme,
        summaries=_summaries(programme, language),
        gap=programme_gap(programme=programme),
        rtl=get_language_bidi(),
        today=timezone.localdate(),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-needs-assessment.pdf"'
    return response


@require_GET
def needs_assessment_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every submitted answer of the programme's questionnaires, one row per answer."""
    programme = programme_for(request, slug)
    if isinstance(programme, HttpResponse):
        return programme
    body = programme_answers_csv(programme=programme, language=get_language() or "en")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-needs-assessment.csv"'
    return response
