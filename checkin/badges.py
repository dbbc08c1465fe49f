"""Printable badges (reportlab): name, organisation, role and the ticket QR, one A6 page each.

Pure rendering from plain data, so the whole-event job can stream thousands of badges with
progress and a test can read the result back.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
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
    size = _fit(badge.event_title, FONT_BOLD, 11, inner)
    c.setFont(FONT_BOLD, size)
    c.drawCentredString(width / 2, height - 11 * mm, badge.event_title)

    c.setFillColor(colors.black)
    size = _fit(badge.name, FONT_BOLD, 24, inner)
    c.setFont(FONT_BOLD, size)
    c.drawCentredString(width / 2, height - 32 * mm, badge.name)
    if badge.organisation:
        size = _fit(badge.organisation, FONT, 14, inner)
        c.setFont(FONT, size)
        c.drawCentredString(width / 2, height - 41 * mm, badge.organisation)

    qr_side = 50 * mm
    image = ImageReader(io.BytesIO(qr_png(badge.payload, box_size=8)))
    c.drawImage(image, (width - qr_side) / 2, 22 * mm, qr_side, qr_side)

    c.setFillColor(band)
    c.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(FONT_BOLD, _fit(badge.role_label.upper(), FONT_BOLD, 16, inner))
    c.drawCentredString(width / 2, 5.5 * mm, badge.role_label.upper())


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
