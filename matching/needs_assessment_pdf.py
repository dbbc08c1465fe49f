"""The "Needs assessment" report as a PDF (reportlab): every questionnaire's answers and the three-way gap.

Drawn in the reader's language, as the roadmap PDF (events/roadmap_pdf.py) is: Arabic and Kurdish
joined into their letter forms (arabic-reshaper), put in visual order (python-bidi), aligned to the
right, with Debian's DejaVu fonts (Helvetica without them). Charts are vector bars drawn on the page,
the same figures as the summary page's SVG; tables are lines of columns. It lives in matching
because the gap needs the taxonomy, the openings and the profiles (events may not import matching).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from events.models import Programme
from events.pdf import MUTED, Page

SERIES_COLOURS = (colors.HexColor("#2e7d32"), colors.HexColor("#0b5cad"), colors.HexColor("#ef6c00"))
CHART_ROWS = 20  # skills in the gap chart; the table and the CSV have every skill
TEXTS_SHOWN = 30  # free-text answers per question; the CSV has every one


def _question(page: Page, q: dict[str, Any]) -> None:
    page.need(40)
    page.line(q["text"], size=11, bold=True)
    page.line(_("Answers: %(n)s") % {"n": q["answered"]}, size=9, colour=MUTED)
    kind = q["kind"]
    if kind in ("single", "multiple", "scale", "date"):
        page.bars([(c["label"], [c["count"]]) for c in q["counts"]])
    elif kind == "number" and q["stats"]["count"]:
        s = q["stats"]
        page.line(
            _("Lowest %(min)s · median %(median)s · highest %(max)s")
            % {"min": f"{s['min']:g}", "median": f"{s['median']:g}", "max": f"{s['max']:g}"},
            size=9,
        )
        page.bars([(b["label"], [b["count"]]) for b in q["buckets"]])
    elif kind == "skills":
        page.bars([(s["label"], [s["count"]]) for s in q["skills"][:CHART_ROWS]])
    elif kind in ("short_text", "long_text"):
        for t in q["texts"][:TEXTS_SHOWN]:
            page.line(t["text"], size=9, indent=4 * mm)
            where = " · ".join(x for x in (t["stakeholder"], t["country"], t["city"]) if x)
            page.line(f"— {where}", size=8, colour=MUTED, indent=8 * mm)
        if len(q["texts"]) > TEXTS_SHOWN:
            more = len(q["texts"]) - TEXTS_SHOWN
            page.line(_("%(n)s more in the CSV.") % {"n": more}, size=8, colour=MUTED, indent=4 * mm)
    page.gap(6)


def needs_assessment_pdf_bytes(
    *, programme: Programme, summaries: list[dict[str, Any]], gap: dict[str, Any], rtl: bool, today: date
) -> bytes:
    """The report: a title page, each questionnaire's summary, then the three-way skills gap."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    title = _("Needs assessment: %(programme)s") % {"programme": programme.name}
    c.setTitle(title)
    c.setAuthor(_("Explorers Events"))
    c.setSubject(_("Questionnaire answers and the three-way skills gap"))
    page = Page(c, rtl=rtl)

    page.gap(50 * mm)
    page.line(title, size=20, bold=True)
    page.line(_("As of %(date)s") % {"date": date_format(today, "DATE_FORMAT")}, colour=MUTED)
    page.gap(10 * mm)
    page.line(_("Questionnaires"), size=14, bold=True)
    for s in summaries:
        page.line(_("%(title)s: %(n)s submitted") % {"title": s["title"], "n": s["responses"]}, indent=6 * mm)
    if not summaries:
        page.line(_("No questionnaires yet."), indent=6 * mm)

    for s in summaries:
        page.new_page()
        page.line(s["title"], size=16, bold=True)
        page.line(_("Submitted responses: %(n)s") % {"n": s["responses"]}, colour=MUTED)
        page.gap(6)
        for section in s["sections"]:
            if section["title"]:
                page.need(60)
                page.line(section["title"], size=13, bold=True)
            for q in section["questions"]:
                _question(page, q)

    page.new_page()
    page.line(_("The three-way skills gap"), size=16, bold=True)
    page.line(
        _(
            "Taught: curricula that teach the skill. Demand: employers' openings (seats; a nice-to-have counts half). "
            "Holders: candidates and trainees at level %(level)s or more. Shortage: demand minus holders."
        )
        % {"level": gap["qualified_level"]},
        size=9,
        colour=MUTED,
    )
    page.gap(4)
    active = gap["active"]
    legend = f"{_('Taught')} · {_('Demand')} · {_('Holders')}"
    page.line(legend, size=9, bold=True)
    page.bars(
        [(r["label"], [r["taught"], r["demand"], r["holders"]]) for r in active[:CHART_ROWS]],
        series_colours=SERIES_COLOURS,
    )
    page.gap(8)
    header = [_("Skill"), _("Taught"), _("Demand"), _("Holders"), _("Shortage")]
    rows = [[r["label"], r["taught"], f"{r['demand']:g}", r["holders"], f"{r['shortage']:g}"] for r in active]
    page.table(header, rows, widths=(0.44, 0.14, 0.14, 0.14, 0.14))
    if not active:
        page.line(_("No skills taught, demanded or held yet."))
    for heading, items in (
        (_("Taught but not demanded"), gap["taught_not_demanded"]),
        (_("Demanded but not taught"), gap["demanded_not_taught"]),
    ):
        page.gap(8)
        page.line(heading, size=12, bold=True)
        page.line(", ".join(r["label"] for r in items) or _("None."), size=9)
    c.save()
    return buf.getvalue()
