"""A programme's roadmap as a PDF (reportlab): title page, summary counts, the items by theme.

Drawn in the language active when it is called (the reader's), with events/pdf.py's fonts and
page writer (Arabic and Kurdish shaped and aligned to the right).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from events.models import ActionItem, Programme
from events.pdf import MARGIN, Page

STATUS_COLOURS = {
    "proposed": colors.HexColor("#616161"),
    "agreed": colors.HexColor("#1565c0"),
    "in_progress": colors.HexColor("#ef6c00"),
    "done": colors.HexColor("#2e7d32"),
    "dropped": colors.HexColor("#9e9e9e"),
}


def _day(value: str | None) -> str:
    if not value:
        return _("No due date")
    return _("Due %(date)s") % {"date": date_format(date.fromisoformat(value), "DATE_FORMAT")}


def roadmap_pdf_bytes(*, programme: Programme, roadmap: dict[str, Any], language: str, today: date) -> bytes:
    """The roadmap (as events.programme_selectors.roadmap returns it) as a PDF document."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    title = _("Roadmap: %(programme)s") % {"programme": programme.name}
    c.setTitle(title)
    c.setAuthor(_("Explorers Events"))
    c.setSubject(_("Action items by theme"))
    w = Page(c, rtl=get_language_bidi())
    labels = dict(ActionItem.Status.choices)
    other = _("Other")

    # Title page: the programme, the date, the summary counts.
    w.gap(60 * mm)
    w.line(title, size=22, bold=True)
    w.gap(6)
    if programme.starts_on and programme.ends_on:
        w.line(f"{date_format(programme.starts_on, 'DATE_FORMAT')} – {date_format(programme.ends_on, 'DATE_FORMAT')}")
    w.line(_("As of %(date)s") % {"date": date_format(today, "DATE_FORMAT")}, colour=colors.HexColor("#555555"))
    w.gap(14 * mm)
    w.line(_("Summary"), size=14, bold=True)
    w.gap(4)
    total = sum(roadmap["counts"].values())
    w.line(_("Action items: %(n)s") % {"n": total})
    for status, n in roadmap["counts"].items():
        w.line(f"{labels[status]}: {n}", colour=STATUS_COLOURS[status], indent=6 * mm)
    w.line(_("Overdue: %(n)s") % {"n": roadmap["overdue"]}, bold=True, colour=colors.HexColor("#c62828"))
    for theme in roadmap["themes"]:
        n = sum(theme["counts"].values())
        w.line(f"{theme['theme'] or other}: {n}", indent=6 * mm, colour=colors.HexColor("#555555"))

    # The items, theme by theme.
    w.new_page()
    for theme in roadmap["themes"]:
        if w.y < MARGIN + 60 * mm:
            w.new_page()
        w.line(theme["theme"] or _("Other"), size=15, bold=True)
        w.gap(4)
        for item in theme["items"]:
            if w.y < MARGIN + 30 * mm:
                w.new_page()
            w.line(item["title"], size=11, bold=True)
            state = labels[item["status"]]
            if item["overdue"]:
                state = state + " · " + _("Overdue")
            w.line(f"{state} · {_day(item['due_date'])}", colour=STATUS_COLOURS[item["status"]], indent=4 * mm)
            lead = item["lead_organisation"]
            owner = lead["name"] if lead else "—"
            if item["lead_country"]:
                owner = f"{owner} ({item['lead_country']})"
            w.line(_("Lead organisation") + ": " + owner, indent=4 * mm)
            if item["partners"]:
                partners = ", ".join(p["name"] for p in item["partners"])
                w.line(_("Partners") + ": " + partners, indent=4 * mm)
            if item["status"] == "dropped" and item["dropped_reason"]:
                w.line(_("Dropped: %(reason)s") % {"reason": item["dropped_reason"]}, indent=4 * mm)
            if item["description"]:
                w.line(item["description"], size=9, indent=4 * mm, colour=colors.HexColor("#333333"))
            w.gap(6)
        w.gap(8)
    if not roadmap["themes"]:
        w.line(_("No action items match."))
    c.save()
    return buf.getvalue()
