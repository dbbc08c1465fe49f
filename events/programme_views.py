"""Programme pages: the programme, its roadmap (live), and the roadmap as PDF and CSV.

Each view parses its input, calls a selector and renders; who sees which items is decided in
events/programme_selectors.py.
"""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from events import programme_selectors as sel
from events.csv_rows import spreadsheet_safe
from events.models import ActionItem, Programme, ProgrammePartner
from events.questionnaire_selectors import may_manage_questionnaires
from events.roadmap_pdf import roadmap_pdf_bytes

STATUS_LABELS = dict(ActionItem.Status.choices)


class RoadmapFilterForm(forms.Form):
    """The roadmap's filters; a value that names nothing is an error shown beside the filters."""

    country = forms.ChoiceField(label=gettext_lazy("Lead country"), required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, data: Any, *, countries: list[str], themes: list[str]) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["country"].choices = everything + [(c, c) for c in countries]
        self.fields["theme"].choices = everything + [(t, t) for t in themes]
        self.fields["status"].choices = everything + list(ActionItem.Status.choices)

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"country": "", "theme": "", "status": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("country", "theme", "status")}


def _programme(slug: str) -> Programme:
    programme = sel.programme_get(slug=slug)
    if programme is None:
        raise Http404(_("No such programme."))
    return programme


def _roadmap_context(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    options = sel.roadmap_filters(programme=programme, user=request.user)
    form = RoadmapFilterForm(request.GET or None, **options)
    filters = form.values() if request.GET else {"country": "", "theme": "", "status": ""}
    data = sel.roadmap(programme=programme, user=request.user, **filters)
    return {"programme": programme, "form": form, "filters": filters, "roadmap": data}


def _labels() -> dict[str, Any]:
    return {
        "statuses": STATUS_LABELS,
        "overdue": _("Overdue"),
        "due": _("Due %(date)s"),
        "no_date": _("No due date"),
        "lead": _("Lead organisation"),
        "partners": _("Partners"),
        "no_theme": _("Other"),
        "none": _("No action items match."),
        "overdue_count": _("Overdue: %(n)s"),
        "dropped": _("Dropped: %(reason)s"),
        "officials": _("Officials only"),
        "states": {
            "connecting": _("Connecting…"),
            "online": pgettext("connection state", "Live"),
            "catching-up": _("Catching up…"),
            "offline": _("Offline, reconnecting…"),
            "refused": _("Not available"),
        },
    }


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """`/programmes/<slug>/`: its events, its partners by country, the roadmap's summary."""
    programme = _programme(slug)
    summary = sel.roadmap(programme=programme, user=request.user)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "events": sel.programme_events(programme=programme, user=request.user),
            "partners": sel.partners_by_country(programme=programme),
            "roles": dict(ProgrammePartner.Role.choices),
            "counts": [(STATUS_LABELS[s], n, s) for s, n in summary["counts"].items()],
            "total": sum(summary["counts"].values()),
            "overdue": summary["overdue"],
            "minutes": sel.minutes_index(user=request.user, programme=programme),
            # The needs assessment's pages (issue 13), linked for those who may use them.
            "needs_assessment": may_manage_questionnaires(user=request.user, programme=programme),
        },
    )


def roadmap(request: HttpRequest, slug: str) -> HttpResponse:
    """`/programmes/<slug>/roadmap`: the items by theme on a timeline, with progress; live."""
    context = _roadmap_context(request, _programme(slug))
    query = {k: v for k, v in context["filters"].items() if v}
    context["config"] = {
        "ws": f"/ws/programmes/{slug}/roadmap/",
        "snapshot": f"/api/v1/programmes/{slug}/roadmap",
        "filters": query,
        "item": reverse("programmes:action", args=[0]),  # the page of one item, 0 standing for its id
    }
    context["labels"] = _labels()
    context["query"] = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    context["status_rows"] = [(s, STATUS_LABELS[s], n) for s, n in context["roadmap"]["counts"].items()]
    for theme in context["roadmap"]["themes"]:
        for item in theme["items"]:
            item["status_label"] = STATUS_LABELS[item["status"]]
    return render(request, "programmes/roadmap.html", context)


def roadmap_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The roadmap as CSV, one row per item; every cell spreadsheet-safe."""
    context = _roadmap_context(request, _programme(slug))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-roadmap.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (Arabic, Lithuanian)
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "theme",
            "title",
            "status",
            "due_date",
            "overdue",
            "lead_country",
            "lead_organisation",
            "partners",
            "visibility",
            "description",
            "dropped_reason",
            "updated_at",
        ]
    )
    for theme in context["roadmap"]["themes"]:
        for item in theme["items"]:
            lead = item["lead_organisation"]
            writer.writerow(
                spreadsheet_safe(value)
                for value in [
                    str(item["id"]),
                    item["theme"],
                    item["title"],
                    item["status"],
                    item["due_date"] or "",
                    "yes" if item["overdue"] else "",
                    item["lead_country"],
                    lead["name"] if lead else "",
                    "; ".join(p["name"] for p in item["partners"]),
                    item["visibility"],
                    item["description"],
                    item["dropped_reason"],
                    item["updated_at"],
                ]
            )
    return response


def roadmap_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The roadmap as a PDF in the reader's language, to attach to a memo."""
    context = _roadmap_context(request, _programme(slug))
    pdf = roadmap_pdf_bytes(
        programme=context["programme"],
        roadmap=context["roadmap"],
        language=get_language() or "en",
        today=timezone.localdate(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-roadmap.pdf"'
    return response
