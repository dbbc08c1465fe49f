"""A fake camera for Chromium: a YUV4MPEG2 video of a QR code that enters and leaves the picture."""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image

W, H = 640, 480


def _frame_bytes(image: Image.Image) -> bytes:
    ycbcr = image.convert("YCbCr")
    y, cb, cr = ycbcr.split()
    half = (W // 2, H // 2)
    return b"FRAME\n" + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()


def qr_video(path: Path, payload: str, *, shown: int = 20, hidden: int = 25) -> Path:
    """`shown` frames of the QR, then `hidden` blank ones, at 10 fps; Chromium loops the file, so the
    code passes in front of the camera again and again like a queue of people holding up phones."""
    code = qrcode.QRCode(box_size=9, border=4)
    code.add_data(payload)
    code.make(fit=True)
    qr_image = code.make_image(fill_color="black", back_color="white").convert("RGB")
    with_code = Image.new("RGB", (W, H), "white")
    with_code.paste(qr_image, ((W - qr_image.width) // 2, (H - qr_image.height) // 2))
    blank = Image.new("RGB", (W, H), (200, 200, 200))
    with open(path, "wb") as fh:
        fh.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        a, b = _frame_bytes(with_code), _frame_bytes(blank)
        for _ in range(shown):
            fh.write(a)
        for _ in range(hidden):
            fh.write(b)
    return path
