"""The "Needs assessment" report as a PDF (reportlab): every questionnaire's answers and the three-way gap.

Drawn in the reader's language, as the roadmap PDF (events/roadmap_pdf.py) is: Arabic and Kurdish
joined into their letter forms (arabic-reshaper), put in visual order (python-bidi), aligned to the
right, with Debian's DejaVu fonts (Helvetica without them). Charts are vector bars drawn on the page,
the same figures as the summary page's SVG; tables are lines of columns. It lives in matching
because the gap needs the taxonomy, the openings and the profiles (events may not import matching).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import arabic_reshaper
from bidi.algorithm import get_display
from django.utils.formats import date_format
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
BAR = colors.HexColor("#0b5cad")
MUTED = colors.HexColor("#555555")
SERIES_COLOURS = (colors.HexColor("#2e7d32"), colors.HexColor("#0b5cad"), colors.HexColor("#ef6c00"))
CHART_ROWS = 20  # skills in the gap chart; the table and the CSV have every skill
TEXTS_SHOWN = 30  # free-text answers per question; the CSV has every one


@cache
def unicode_fonts() -> tuple[str, str] | None:
    regular, bold = UNICODE_FONTS
    if regular.is_file() and bold.is_file():
        pdfmetrics.registerFont(TTFont("NeedsSans", str(regular)))
        pdfmetrics.registerFont(TTFont("NeedsSans-Bold", str(bold)))
        return "NeedsSans", "NeedsSans-Bold"
    return None


def font_for(text: str, bold: bool) -> str:
    try:
        text.encode("cp1252")
        return FONT_BOLD if bold else FONT
    except UnicodeEncodeError:
        fonts = unicode_fonts()
        if fonts is None:
            return FONT_BOLD if bold else FONT
        return fonts[1] if bold else fonts[0]


def visual(text: str) -> str:
    """A line as it must be drawn: Arabic script joined and in visual order, anything else as is."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return get_display(arabic_reshaper.reshape(text))
    return text


class Page:
    """Lines and bars down A4 pages, aligned to the reading direction's start."""

    def __init__(self, c: canvas.Canvas, rtl: bool) -> None:
        self.c, self.rtl = c, rtl
        self.width, self.height = A4
        self.y = self.height - MARGIN
        self.inner = self.width - 2 * MARGIN

    def new_page(self) -> None:
        self.c.showPage()
        self.y = self.height - MARGIN

    def need(self, points: float) -> None:
        if self.y - points < MARGIN:
            self.new_page()

    def x(self, offset: float, length: float = 0) -> float:
        """The left edge of something `length` long starting `offset` from the reading start."""
        return self.width - MARGIN - offset - length if self.rtl else MARGIN + offset

    def text_at(self, text: str, offset: float, *, size: float, bold: bool = False, colour: Any = colors.black) -> None:
        font = font_for(text, bold)
        self.c.setFont(font, size)
        self.c.setFillColor(colour)
        if self.rtl:
            self.c.drawRightString(self.width - MARGIN - offset, self.y, visual(text))
        else:
            self.c.drawString(MARGIN + offset, self.y, visual(text))

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            current = ""
            for word in paragraph.split(" "):
                candidate = f"{current} {word}".strip()
                if current and stringWidth(candidate, font, size) > width:
                    lines.append(current)
                    current = word
                else:
                    current = candidate
            lines.append(current)
        return lines

    def line(self, text: str, *, size: float = 10, bold: bool = False, colour: Any = colors.black, indent: float = 0):
        font = font_for(text, bold)
        for logical in self.wrap(text, font, size, self.inner - indent):
            self.need(size * 1.4)
            self.text_at(logical, indent, size=size, bold=bold, colour=colour)
            self.y -= size * 1.35

    def gap(self, points: float) -> None:
        self.y -= points

    def bars(self, rows: Sequence[tuple[str, Sequence[float]]], *, series_colours: Sequence[Any] = (BAR,)) -> None:
        """A bar chart: per row its label, then one bar per series with its value after it."""
        label_w = self.inner * 0.38
        length = self.inner - label_w - 30
        peak = max((v for _label, values in rows for v in values), default=0) or 1
        for label, values in rows:
            height = 5 * len(values) + 4
            self.need(max(height, 11) + 2)
            font = font_for(label, False)
            shown = label
            while shown and stringWidth(shown, font, 8.5) > label_w - 4:
                shown = shown[:-2] + "…" if len(shown) > 2 else ""
            self.text_at(shown, 0, size=8.5)
            for i, value in enumerate(values):
                bar_len = length * value / peak
                top = self.y + 6 - i * 5
                self.c.setFillColor(series_colours[i % len(series_colours)])
                self.c.rect(self.x(label_w, bar_len), top - 4, bar_len, 4, stroke=0, fill=1)
                self.c.setFont(FONT, 6.5)
                self.c.setFillColor(MUTED)
                figure = f"{value:g}"
                if self.rtl:
                    self.c.drawRightString(self.x(label_w + bar_len + 2), top - 4, figure)
                else:
                    self.c.drawString(self.x(label_w + bar_len + 2), top - 4, figure)
            self.y -= max(height, 11) + 2

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
        """Columns at fixed shares of the width; the first column's text cut to fit."""
        offsets, at = [], 0.0
        for share in widths:
            offsets.append(at)
            at += share * self.inner
        for index, cells in enumerate([header, *rows]):
            self.need(12)
            for col, cell in enumerate(cells):
                text = str(cell)
                width = widths[col] * self.inner - 4
                font = font_for(text, index == 0)
                while text and stringWidth(text, font, 8.5) > width:
                    text = text[:-2] + "…" if len(text) > 2 else ""
                self.text_at(text, offsets[col], size=8.5, bold=index == 0)
            self.y -= 11.5


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
