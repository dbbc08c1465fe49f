"""A programme's indicators as a PDF for the funder's report (reportlab), in the reader's language.

Drawn as events/roadmap_pdf.py draws the roadmap: Arabic and Kurdish lines joined into their letter
forms (arabic-reshaper), in visual order (python-bidi), aligned to the right, with Debian's DejaVu
fonts when installed (Helvetica otherwise).
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import arabic_reshaper
from bidi.algorithm import get_display
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from events.models import Programme

FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"
UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
MARGIN = 18 * mm
MUTED = colors.HexColor("#555555")


@cache
def _unicode_fonts() -> tuple[str, str] | None:
    regular, bold = UNICODE_FONTS
    if regular.is_file() and bold.is_file():
        pdfmetrics.registerFont(TTFont("IndicatorSans", str(regular)))
        pdfmetrics.registerFont(TTFont("IndicatorSans-Bold", str(bold)))
        return "IndicatorSans", "IndicatorSans-Bold"
    return None


def _font(text: str, bold: bool) -> str:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        fonts = _unicode_fonts()
        if fonts is not None:
            return fonts[1] if bold else fonts[0]
    return FONT_BOLD if bold else FONT


def _visual(text: str) -> str:
    """A line as it must be drawn: Arabic script joined and in visual order, anything else as is."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return get_display(arabic_reshaper.reshape(text))
    return text


class _Writer:
    """Lines down A4 pages, wrapped to the width, aligned to the reading direction's start."""

    def __init__(self, c: canvas.Canvas, rtl: bool) -> None:
        self.c, self.rtl = c, rtl
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def line(self, text: str, *, size: float = 10, bold: bool = False, colour: Any = colors.black,
             indent: float = 0) -> None:  # fmt: skip
        font = _font(text, bold)
        width = self.width - 2 * MARGIN - indent
        lines, current = [], ""
        for word in text.split(" "):
            candidate = f"{current} {word}".strip()
            if current and stringWidth(candidate, font, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
        for logical in lines:
            if self.y < MARGIN + size:
                self.c.showPage()
                self.y = self.height - MARGIN
            self.c.setFont(font, size)
            self.c.setFillColor(colour)
            drawn = _visual(logical)
            if self.rtl:
                self.c.drawRightString(self.width - MARGIN - indent, self.y, drawn)
            else:
                self.c.drawString(MARGIN + indent, self.y, drawn)
            self.y -= size * 1.35

    def gap(self, points: float) -> None:
        self.y -= points


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
    w = _Writer(c, rtl=get_language_bidi())
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
