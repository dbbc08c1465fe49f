"""A questionnaire's summary page and the CSV of every answer (issue 13, "Analysis people can look at").

Organisers and programme staff only (events.stakeholder_selectors.may_see_stakeholders): the answers
name the stakeholders who gave them. A visitor is sent to sign in; anyone else signed in gets the
403 page. Filters come from the query string and are checked against what can be chosen.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from events import questionnaire_analysis as analysis
from events.models import Programme, Questionnaire, Stakeholder
from events.programme_selectors import programme_get
from events.questionnaire_charts import question_chart
from events.questionnaire_csv import answers_csv as answers_csv_text
from events.schemas import MAX_ID
from events.stakeholder_selectors import may_see_stakeholders


class AnalysisFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    city = forms.ChoiceField(label=gettext_lazy("City"), required=False)

    def __init__(self, data: Any, *, options: dict[str, list[str]]) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        kinds = dict(Stakeholder.Kind.choices)
        self.fields["kind"].choices = everything + [(k, kinds.get(k, k)) for k in options["kinds"]]
        self.fields["country"].choices = everything + [(c, c) for c in options["countries"]]
        self.fields["city"].choices = everything + [(c, c) for c in options["cities"]]

    def filters(self) -> analysis.AnalysisFilters:
        if not self.is_valid():
            return analysis.AnalysisFilters()
        return analysis.AnalysisFilters(**{k: v or "" for k, v in self.cleaned_data.items()})


def questionnaire_for(request: HttpRequest, slug: str, pk: int) -> Questionnaire | HttpResponse:
    """The programme's questionnaire if the person may read its answers; a sign-in redirect otherwise."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    programme: Programme | None = programme_get(slug=slug)
    if programme is None or pk > MAX_ID:
        raise Http404
    if not may_see_stakeholders(user=request.user, programme=programme):
        raise PermissionDenied
    questionnaire = programme.questionnaires.filter(pk=pk).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


@require_GET
def summary_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """`/programmes/<slug>/questionnaires/<id>/summary`: per question, counts and charts; free text listed."""
    questionnaire = questionnaire_for(request, slug, pk)
    if isinstance(questionnaire, HttpResponse):
        return questionnaire
    form = AnalysisFilterForm(request.GET, options=analysis.filter_options(questionnaire=questionnaire))
    filters = form.filters()
    language = get_language() or "en"
    rtl = get_language_bidi()
    summary = analysis.questionnaire_summary(questionnaire=questionnaire, language=language, filters=filters)
    empty = _("No answers yet.")
    kinds = analysis.kind_labels()
    for s_index, section in enumerate(summary["sections"]):
        for q_index, question in enumerate(section["questions"]):
            chart_id = f"q-{s_index}-{q_index}"
            question["chart"] = question_chart(question, chart_id=chart_id, rtl=rtl, empty=empty)
            for text in question.get("texts", []):
                text["kind_label"] = kinds.get(text["kind"], text["kind"])
    query = request.GET.urlencode() if form.is_valid() else ""
    return render(
        request,
        "needs_analysis/summary.html",
        {
            "programme": questionnaire.programme,
            "questionnaire": questionnaire,
            "summary": summary,
            "form": form,
            "query": f"?{query}" if query else "",
            "by_kind": [(kinds.get(k, k), n) for k, n in summary["by_kind"].items()],
        },
        status=200 if form.is_valid() else 400,
    )


@require_GET
def answers_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every submitted answer: one row per response, a column per question key."""
    questionnaire = questionnaire_for(request, slug, pk)
    if isinstance(questionnaire, HttpResponse):
        return questionnaire
    form = AnalysisFilterForm(request.GET, options=analysis.filter_options(questionnaire=questionnaire))
    if not form.is_valid():
        return HttpResponse(_("Unknown filter value."), status=400, content_type="text/plain; charset=utf-8")
    body = answers_csv_text(questionnaire=questionnaire, filters=form.filters())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"{questionnaire.programme.slug}-questionnaire-{questionnaire.pk}-answers.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
