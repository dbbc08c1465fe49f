"""`/programmes/<slug>/indicators`: the programme's indicators as a page, a CSV and a PDF for the funder.

Organisers and the programme's staff only (matching.indicators.may_see_indicators); a signed-out
visitor goes to the sign-in page, anyone else gets 403. Each view reads `programme_indicators` once
and renders it; the charts are SVG drawn here (events/charts.py), in the reader's language and direction.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events import charts
from events.csv_rows import spreadsheet_safe
from events.models import Programme
from events.programme_selectors import programme_get
from matching.indicators import may_see_indicators, programme_indicators
from matching.indicators_pdf import indicators_pdf_bytes


def _allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        programme = programme_get(slug=slug)
        if programme is None:
            raise Http404(_("No such programme."))
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_see_indicators(user=request.user, programme=programme):
            raise PermissionDenied(_("Only organisers and the programme's staff see its indicators."))
        return view(request, programme)

    return wrapper


def not_recorded() -> str:
    return _("not recorded yet")


def month_label(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return date_format(date(year, number, 1), "YEAR_MONTH_FORMAT")


def month_tick(month: str) -> str:
    """A month's short name under its column (the full name is in the chart's description)."""
    year, number = (int(part) for part in month.split("-"))
    return date_format(date(year, number, 1), "M")


def indicator_rows(data: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(key, label, value) for every headline figure, in the order a funder reads them; None: not recorded yet."""
    stakeholders, actions = data["stakeholders"], data["action_items"]
    placements = data["placements"]
    return [
        ("enrolled", _("Trainees enrolled"), data["enrolled"]),
        ("attended", _("Trainees who attended at least one session"), data["attended"]),
        ("completed", _("Trainees who completed the training"), data["completed"]),
        ("certified", _("Trainees certified"), data["certified"]),
        ("met_employer", _("Candidates who met at least one employer"), data["met_employer"]),
        ("interviews", _("Interviews"), data["interviews"]),
        ("offers", _("Offers"), data["offers"]),
        ("placements", _("Placements"), placements["total"] if placements is not None else None),
        ("officials_engaged", _("Officials engaged"), data["officials_engaged"]),
        ("stakeholders_reached", _("Stakeholders reached"), stakeholders["reached"]),
        ("stakeholders_listed", _("Stakeholders listed"), stakeholders["listed"]),
        ("action_items_done", _("Action items done"), actions["done"]),
        ("action_items_total", _("Action items in all"), actions["total"]),
    ]


def breakdown_labels() -> dict[str, str]:
    return {
        "gender": _("Trainees by self-declared gender"),
        "city": _("Trainees by self-declared city"),
        "placements_by_type": _("Placements by type"),
        "placements_by_country": _("Placements by country"),
    }


def _charts(data: dict[str, Any]) -> dict[str, SafeString]:
    common = {"rtl": get_language_bidi(), "empty": _("Nothing recorded yet."), "item_format": _("%(label)s: %(value)s")}
    months = [
        charts.Bar(
            key=m["month"], label=month_label(m["month"]), value=m["trainees_attended"], tick=month_tick(m["month"])
        )
        for m in data["attended_by_month"]
    ]
    drawn = {
        "attended": charts.time_chart(
            chart_id="chart-attended", title=_("Trainees who attended, by month"), bars=months, **common
        )
    }
    placements = data["placements"]
    if placements is not None:
        for key in ("by_type", "by_country"):
            bars = [charts.Bar(key=p["key"], label=p["label"], value=p["count"]) for p in placements[key]]
            drawn[f"placements_{key}"] = charts.category_chart(
                chart_id=f"chart-placements-{key}", title=breakdown_labels()[f"placements_{key}"], bars=bars, **common
            )
    # Safe: events.charts escapes every text it draws.
    return {name: mark_safe(svg) for name, svg in drawn.items()}


@require_safe
@_allowed
def indicators_page(request: HttpRequest, programme: Programme) -> HttpResponse:
    data = programme_indicators(programme=programme)
    rows = indicator_rows(data)
    months = [{**m, "label": month_label(m["month"])} for m in data["attended_by_month"]]
    context = {
        "programme": programme,
        "data": data,
        "rows": rows,
        "months": months,
        "charts": _charts(data),
        "breakdowns": [(breakdown_labels()[k], v) for k, v in data["breakdowns"].items()],
        "not_recorded": not_recorded(),
    }
    return render(request, "indicators/page.html", context)


@require_safe
@_allowed
def indicators_csv(request: HttpRequest, programme: Programme) -> HttpResponse:
    """The indicators as CSV rows (section, item, value), for the funder's report; every cell spreadsheet-safe."""
    data = programme_indicators(programme=programme)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-indicators.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (Arabic, Lithuanian)
    writer = csv.writer(response)
    writer.writerow(["section", "item", "value"])
    for key, _label, value in indicator_rows(data):
        writer.writerow([spreadsheet_safe(str(v)) for v in ("indicator", key, _csv_value(value))])
    for m in data["attended_by_month"]:
        for field in ("sessions_held", "trainees_attended", "attendances", "rate"):
            writer.writerow([spreadsheet_safe(str(v)) for v in ("attended_by_month", f"{m['month']} {field}",
                                                                 _csv_value(m[field]))])  # fmt: skip
    placements = data["placements"]
    if placements is not None:
        for key in ("by_type", "by_country"):
            for p in placements[key]:
                writer.writerow([spreadsheet_safe(str(v)) for v in (f"placements_{key}", p["key"], p["count"])])
    for name, groups in data["breakdowns"].items():
        for group in groups:
            writer.writerow([spreadsheet_safe(str(v)) for v in (name, group["value"], group["count"])])
    return response


def _csv_value(value: Any) -> str:
    return "not recorded yet" if value is None else str(value)


@require_safe
@_allowed
def indicators_pdf(request: HttpRequest, programme: Programme) -> HttpResponse:
    data = programme_indicators(programme=programme)
    pdf = indicators_pdf_bytes(
        programme=programme,
        rows=indicator_rows(data),
        months=[(month_label(m["month"]), m) for m in data["attended_by_month"]],
        breakdowns=[(breakdown_labels()[k], v) for k, v in data["breakdowns"].items()],
        placements=data["placements"],
        today=timezone.localdate(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{programme.slug}-indicators.pdf"'
    return response
