"""QR images of ticket payloads (PNG for integrations and badges, SVG for pages). No database."""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

# M recovers from 15 % damage: a cracked screen or a crease, at a size cheap cameras still read.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M


def _code(payload: str, box_size: int) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=4)
    # The payload is upper-case letters, digits and dots, so qrcode picks the dense alphanumeric mode.
    code.add_data(payload)
    code.make(fit=True)
    return code


def qr_version(payload: str) -> int:
    return _code(payload, 1).version


def qr_png(payload: str, *, box_size: int = 12) -> bytes:
    image = _code(payload, box_size).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(payload: str) -> str:
    """An SVG that scales crisply to any size (no fixed width or height, just a viewBox)."""
    image = _code(payload, 10).make_image(image_factory=SvgPathImage)
    return image.to_string(encoding="unicode")
