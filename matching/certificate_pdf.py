"""A training certificate as a one-page PDF (reportlab, as events/roadmap_pdf.py draws the roadmap).

The name in Latin and Arabic script, the training and programme, the dates, the skills reached,
and a QR of the public verification address with the code beside it, so an employer can check the
paper with a phone or by typing the code. Drawn in the language active when it is called; Arabic
and Kurdish lines are joined into their letter forms (arabic-reshaper), put in visual order
(python-bidi) and drawn with Debian's DejaVu fonts, as the roadmap and the badges are.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from checkin.qr import qr_png
from events.pdf import font_for, visual
from matching.certificate_models import Certificate
from matching.certificates import grouped, verify_url
from matching.skill_names import skill_label

PAGE = landscape(A4)
MARGIN = 16 * mm
ACCENT = colors.HexColor("#1565c0")
GREY = colors.HexColor("#555555")
QR_COLUMN = 70 * mm


def _shaped(text: str, bold: bool) -> tuple[str, str]:
    """The text as it must be drawn (Arabic script joined, in visual order) and the font that has its letters."""
    return visual(text), font_for(text, bold)


def _centred(c: canvas.Canvas, text: str, *, y: float, size: float, bold: bool = False, colour=colors.black) -> None:
    drawn, font = _shaped(text, bold)
    width = PAGE[0] - 2 * MARGIN - QR_COLUMN  # the QR's column stays clear
    left = MARGIN + (QR_COLUMN if get_language_bidi() else 0)
    while size > 8 and stringWidth(drawn, font, size) > width:
        size -= 0.5
    c.setFont(font, size)
    c.setFillColor(colour)
    c.drawCentredString(left + width / 2, y, drawn)


def certificate_pdf_bytes(*, certificate: Certificate) -> bytes:
    """The certificate as a one-page landscape A4 PDF."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAGE, pageCompression=1)
    width, height = PAGE
    title = _("Certificate of completion")
    c.setTitle(f"{title}: {certificate.name}")
    c.setAuthor(_("Explorers Events"))
    c.setSubject(certificate.training)

    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(MARGIN / 2, MARGIN / 2, width - MARGIN, height - MARGIN)

    y = height - 38 * mm
    _centred(c, title, y=y, size=28, bold=True, colour=ACCENT)
    y -= 16 * mm
    _centred(c, _("This certifies that"), y=y, size=13, colour=GREY)
    y -= 14 * mm
    _centred(c, certificate.name, y=y, size=26, bold=True)
    if certificate.name_arabic:
        y -= 12 * mm
        _centred(c, certificate.name_arabic, y=y, size=24, bold=True)
    y -= 13 * mm
    _centred(c, _("completed the training"), y=y, size=13, colour=GREY)
    y -= 10 * mm
    _centred(c, certificate.training, y=y, size=18, bold=True)
    if certificate.programme and certificate.programme != certificate.training:
        y -= 8 * mm
        _centred(c, _("Programme: %(programme)s") % {"programme": certificate.programme}, y=y, size=12)
    y -= 8 * mm
    dates = f"{date_format(certificate.starts_on, 'DATE_FORMAT')} – {date_format(certificate.ends_on, 'DATE_FORMAT')}"
    _centred(c, dates, y=y, size=12)
    if certificate.skills:
        y -= 12 * mm
        _centred(c, _("Skills reached"), y=y, size=13, bold=True, colour=ACCENT)
        for skill in certificate.skills[:8]:
            y -= 6.5 * mm
            name = skill_label(skill.get("name", ""), skill.get("names") or {})
            _centred(
                c, _("%(skill)s: level %(level)s of 5") % {"skill": name, "level": skill.get("level")}, y=y, size=11
            )

    # The QR and the code, bottom right (bottom left in a right-to-left language).
    side = 46 * mm
    x = MARGIN if get_language_bidi() else width - MARGIN - side
    qr = qr_png(verify_url(certificate.code), box_size=8)
    c.drawImage(ImageReader(io.BytesIO(qr)), x, MARGIN + 14 * mm, side, side)
    code_text, code_font = _shaped(grouped(certificate.code), True)
    c.setFont(code_font, 12)
    c.setFillColor(colors.black)
    c.drawCentredString(x + side / 2, MARGIN + 9 * mm, code_text)
    # The address of the page where a code is typed, short enough to copy from paper.
    form_url = settings.SITE_URL + reverse("certificates:verify_form")
    c.setFillColor(GREY)
    for text, y in ((_("Check it: scan the QR or type the code at"), MARGIN + 4.5 * mm), (form_url, MARGIN + 1 * mm)):
        drawn, font = _shaped(text, False)
        size = 7.0
        while size > 4 and stringWidth(drawn, font, size) > side + 16 * mm:
            size -= 0.25
        c.setFont(font, size)
        c.drawCentredString(x + side / 2, y, drawn)

    issued = _("Issued on %(date)s") % {"date": date_format(timezone.localdate(certificate.issued_at), "DATE_FORMAT")}
    issued_text, issued_font = _shaped(issued, False)
    c.setFont(issued_font, 10)
    c.setFillColor(GREY)
    if get_language_bidi():
        c.drawRightString(width - MARGIN, MARGIN + 4 * mm, issued_text)
    else:
        c.drawString(MARGIN, MARGIN + 4 * mm, issued_text)
    c.showPage()
    c.save()
    return buf.getvalue()
