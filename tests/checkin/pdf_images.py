"""Read back the QR images a badge PDF holds (reportlab stores them ASCII85 + Flate, raw RGB)."""

from __future__ import annotations

import base64
import re
import zlib

import zxingcpp
from PIL import Image

_IMAGE = re.compile(
    rb"<<\s*/BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter \[ /ASCII85Decode /FlateDecode \] "
    rb"/Height (\d+) /Length (\d+) /Subtype /Image\s*/Type /XObject /Width (\d+)\s*>>\s*stream\r?\n"
)


def qr_texts(pdf: bytes) -> list[str]:
    texts = []
    for match in _IMAGE.finditer(pdf):
        height, length, width = (int(g) for g in match.groups())
        raw = pdf[match.end() : match.end() + length]
        pixels = zlib.decompress(base64.a85decode(raw.strip(), adobe=True))
        image = Image.frombytes("RGB", (width, height), pixels)
        texts += [r.text for r in zxingcpp.read_barcodes(image)]
    return texts
