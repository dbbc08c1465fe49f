"""What every PDF here draws with (reportlab): fonts that have the reader's letters, Arabic shaped, and a
page writer that lays lines, bars and tables down A4 pages from the reading direction's start.

Arabic and Kurdish lines are joined into their letter forms (arabic-reshaper), put in visual order
(python-bidi) and aligned to the right, with Debian's DejaVu fonts; without those fonts the text falls
back to Helvetica. Used by the roadmap (events/roadmap_pdf.py), the needs-assessment report, the
programme indicators and the certificates (matching/).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"
UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
MARGIN = 18 * mm
BAR = colors.HexColor("#0b5cad")
MUTED = colors.HexColor("#555555")


@cache
def unicode_fonts() -> tuple[str, str] | None:
    regular, bold = UNICODE_FONTS
    if regular.is_file() and bold.is_file():
        pdfmetrics.registerFont(TTFont("ExplorersSans", str(regular)))
        pdfmetrics.registerFont(TTFont("ExplorersSans-Bold", str(bold)))
        return "ExplorersSans", "ExplorersSans-Bold"
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
