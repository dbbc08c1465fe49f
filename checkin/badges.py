"""Printable badges (reportlab): name, organisation, role and the ticket QR, one A6 page each.

Pure rendering from plain data, so the whole-event job can stream thousands of badges with
progress and a test can read the result back.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib import colors
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from checkin.qr import qr_png

# Role colours help door staff and hosts tell people apart at a glance.
ROLE_COLOURS = {
    "candidate": colors.HexColor("#1565c0"),
    "employer": colors.HexColor("#2e7d32"),
    "official": colors.HexColor("#6a1b9a"),
    "speaker": colors.HexColor("#ef6c00"),
    "organiser": colors.HexColor("#c62828"),
    "staff": colors.HexColor("#424242"),
}
FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"
# Names in Arabic, Kurdish or Lithuanian need glyphs the PDF base fonts lack: DejaVu (Debian's
# fonts-dejavu-core) has Latin Extended and Arabic. Without it such names fall back to Helvetica.
UNICODE_FONTS = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
]


@cache
def _unicode_fonts() -> tuple[str, str] | None:
    for regular, bold in UNICODE_FONTS:
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("BadgeSans", str(regular)))
            pdfmetrics.registerFont(TTFont("BadgeSans-Bold", str(bold)))
            return "BadgeSans", "BadgeSans-Bold"
    return None


def _shaped(text: str, bold: bool) -> tuple[str, str]:
    """The text as it must be drawn, and the font to draw it with.

    reportlab draws characters left to right as given; Arabic script has to be joined into its
    contextual letter forms (arabic-reshaper) and put in visual order (python-bidi) first.
    """
    base = FONT_BOLD if bold else FONT
    try:
        text.encode("cp1252")
        return text, base
    except UnicodeEncodeError:
        pass
    fonts = _unicode_fonts()
    if fonts is None:
        return text, base
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        text = get_display(arabic_reshaper.reshape(text))
    return text, fonts[1] if bold else fonts[0]


def _centred(c: canvas.Canvas, text: str, *, bold: bool, size: float, width: float, y: float) -> None:
    text, font = _shaped(text, bold)
    c.setFont(font, _fit(text, font, size, width))
    c.drawCentredString(A6[0] / 2, y, text)


@dataclass(frozen=True)
class Badge:
    name: str
    organisation: str
    role: str
    role_label: str
    event_title: str
    payload: str


def _fit(text: str, font: str, size: float, width: float, minimum: float = 9) -> float:
    """The largest font size up to `size` at which `text` fits `width`."""
    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw(c: canvas.Canvas, badge: Badge) -> None:
    width, height = A6
    margin = 8 * mm
    inner = width - 2 * margin
    band = ROLE_COLOURS.get(badge.role, colors.HexColor("#37474f"))
    c.setFillColor(band)
    c.rect(0, height - 18 * mm, width, 18 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    _centred(c, badge.event_title, bold=True, size=11, width=inner, y=height - 11 * mm)

    c.setFillColor(colors.black)
    _centred(c, badge.name, bold=True, size=24, width=inner, y=height - 32 * mm)
    if badge.organisation:
        _centred(c, badge.organisation, bold=False, size=14, width=inner, y=height - 41 * mm)

    qr_side = 50 * mm
    image = ImageReader(io.BytesIO(qr_png(badge.payload, box_size=8)))
    c.drawImage(image, (width - qr_side) / 2, 22 * mm, qr_side, qr_side)

    c.setFillColor(band)
    c.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    _centred(c, badge.role_label.upper(), bold=True, size=16, width=inner, y=5.5 * mm)


def render_badges(
    badges: Iterable[Badge], *, total: int = 0, progress: Callable[[int, int], None] | None = None
) -> bytes:
    """One PDF, one A6 page per badge. `progress(done, total)` is called every 25 badges."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A6, pageCompression=0, invariant=1)
    c.setTitle("Badges")
    done = 0
    for badge in badges:
        _draw(c, badge)
        c.showPage()
        done += 1
        if progress is not None and done % 25 == 0:
            progress(done, total)
    if done == 0:
        c.showPage()  # an empty event still gets a valid (blank) PDF
    c.save()
    if progress is not None:
        progress(done, total)
    return buffer.getvalue()
