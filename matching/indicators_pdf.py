"""A programme's indicators as a PDF for the funder's report (reportlab), in the reader's language.

Drawn with events/pdf.py's fonts and page writer, as the roadmap is: Arabic and Kurdish lines shaped and
aligned to the right.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from events.models import Programme
from events.pdf import MUTED, Page


def indicators_pdf_bytes(
    *,
    programme: Programme,
    rows: list[tuple[str, str, Any]],
    months: list[tuple[str, dict[str, Any]]],
    breakdowns: list[tuple[str, list[dict[str, Any]]]],
    placements: dict[str, Any] | None,
    today: date,
) -> bytes:
    """The headline figures, attendance by month, placements and breakdowns (as the page shows them)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    title = _("Indicators: %(programme)s") % {"programme": programme.name}
    c.setTitle(title)
    c.setAuthor(_("Explorers Events"))
    c.setSubject(_("Programme indicators"))
    w = Page(c, rtl=get_language_bidi())
    not_recorded = _("not recorded yet")

    w.gap(20 * mm)
    w.line(title, size=20, bold=True)
    w.gap(4)
    w.line(_("As of %(date)s") % {"date": date_format(today, "DATE_FORMAT")}, colour=MUTED)
    w.gap(10 * mm)
    w.line(_("Figures"), size=14, bold=True)
    w.gap(4)
    for _key, label, value in rows:
        w.line(f"{label}: {not_recorded if value is None else value}", indent=4 * mm)

    w.gap(8 * mm)
    w.line(_("Attendance by month"), size=14, bold=True)
    w.gap(4)
    for label, m in months:
        rate = "—" if m["rate"] is None else f"{m['rate']} %"
        w.line(
            _("%(month)s: %(people)s trainees attended, %(held)s sessions held, attendance %(rate)s")
            % {"month": label, "people": m["trainees_attended"], "held": m["sessions_held"], "rate": rate},
            indent=4 * mm,
        )
    if not months:
        w.line(_("Nothing recorded yet."), indent=4 * mm, colour=MUTED)

    if placements is not None:
        for heading, key in ((_("Placements by type"), "by_type"), (_("Placements by country"), "by_country")):
            w.gap(6 * mm)
            w.line(heading, size=14, bold=True)
            w.gap(4)
            for p in placements[key]:
                w.line(f"{p['label']}: {p['count']}", indent=4 * mm)
            if not placements[key]:
                w.line(_("Nothing recorded yet."), indent=4 * mm, colour=MUTED)

    for heading, groups in breakdowns:
        w.gap(6 * mm)
        w.line(heading, size=14, bold=True)
        w.gap(4)
        for group in groups:
            w.line(f"{group['label']}: {group['count']}", indent=4 * mm)
        if not groups:
            w.line(_("Nothing recorded yet."), indent=4 * mm, colour=MUTED)
    w.gap(6 * mm)
    w.line(
        _("Groups of fewer than five people are shown as <5. Gender and city are given by choice, never required."),
        size=9,
        colour=MUTED,
    )
    c.save()
    return buf.getvalue()
