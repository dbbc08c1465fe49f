"""The ticket payload: what the QR code carries. Pure functions, no database.

    EE1.<event id, base 36>.<ticket code>.<version, base 36>.<MAC>

Everything is upper-case letters, digits and dots, which QR codes store in their dense alphanumeric
mode: the whole payload is about 36 characters, a version-2/3 code with 25–29 modules a side that
cheap cameras read from a cracked screen. It names the event but carries no personal data. The MAC
is HMAC-SHA256 over the other fields, truncated to 80 bits (base 32): nobody without the server key
can mint or alter a payload, and the version inside it lets a reissue revoke every older code.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.encoding import force_bytes

PREFIX = "EE1"
MAC_BYTES = 10
CODE_LENGTH = 10
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PATTERN = re.compile(r"^EE1\.([0-9A-Z]{1,8})\.([A-Z2-7]{10})\.([0-9A-Z]{1,4})\.([A-Z2-7]{16})$")
MAX_PAYLOAD = 64
# What a payload may hold before it is upper-cased: ASCII letters, digits and dots, nothing else.
_ALPHABET = re.compile(r"[0-9A-Za-z.]+", re.ASCII)


@dataclass(frozen=True)
class TokenParts:
    event_id: int
    code: str
    version: int


def new_code() -> str:
    """A random ticket code (50 bits)."""
    return "".join(secrets.choice(_B32) for _ in range(CODE_LENGTH))


def _b36(n: int) -> str:
    if n < 0:
        raise ValueError("negative")
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _B36[r] + out
        if n == 0:
            return out


def _key() -> bytes:
    # A key of its own, derived from the secret key, so a leak of some other signed value tells
    # nothing about tickets. CHECKIN_TICKET_KEY lets a deployment rotate it independently.
    return _derived(getattr(settings, "CHECKIN_TICKET_KEY", "") or settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _derived(base: str) -> bytes:
    return hashlib.sha256(b"explorers.checkin.ticket:" + force_bytes(base)).digest()


def _mac(event_id: int, code: str, version: int) -> str:
    message = f"{PREFIX}.{_b36(event_id)}.{code}.{_b36(version)}".encode()
    digest = hmac.digest(_key(), message, "sha256")[:MAC_BYTES]
    return base64.b32encode(digest).decode().rstrip("=")


def make_payload(*, event_id: int, code: str, version: int) -> str:
    return f"{PREFIX}.{_b36(event_id)}.{code}.{_b36(version)}.{_mac(event_id, code, version)}"


def parse_payload(raw: object) -> TokenParts | None:
    """The fields of a genuine payload, or None for anything forged, altered or unreadable."""
    if not isinstance(raw, str) or len(raw) > MAX_PAYLOAD:
        return None
    # Keyboard-wedge scanners and some camera apps add whitespace or switch case; nothing else is forgiven.
    # The alphabet is checked before any case folding: Unicode's upper() turns look-alikes into our
    # letters ("ſ" into "S", "ı" into "I", "ﬅ" into "ST"), and a payload that is not the one we signed
    # must never become one. str.strip() would also drop Unicode spaces, so only ASCII ones go.
    text = raw.strip(" \t\r\n")
    if not _ALPHABET.fullmatch(text):
        return None
    text = text.upper()
    match = _PATTERN.fullmatch(text)
    if match is None:
        return None
    event_b36, code, version_b36, mac = match.groups()
    event_id, version = int(event_b36, 36), int(version_b36, 36)
    if not hmac.compare_digest(mac, _mac(event_id, code, version)):
        return None
    return TokenParts(event_id=event_id, code=code, version=version)


def offline_digest(payload: str) -> str:
    """What the scanner page keeps to recognise a payload offline: a hash, so the list is no key."""
    return hashlib.sha256(payload.strip().upper().encode()).hexdigest()[:20]


def poster_token(*, event_id: int, session_id: int | None) -> str:
    """The signed part of a self check-in poster URL: it proves the link came from an organiser's poster."""
    from django.core import signing

    return signing.Signer(salt="checkin.poster").sign(f"{_b36(event_id)}-{_b36(session_id or 0)}")


def poster_parse(token: object) -> tuple[int, int | None] | None:
    """(event id, session id or None) of a genuine poster token, else None."""
    from django.core import signing

    if not isinstance(token, str) or len(token) > 100:
        return None
    try:
        value = signing.Signer(salt="checkin.poster").unsign(token)
    except signing.BadSignature:
        return None
    match = re.fullmatch(r"([0-9A-Z]{1,8})-([0-9A-Z]{1,8})", value)
    if match is None:
        return None
    session_id = int(match.group(2), 36)
    return int(match.group(1), 36), session_id or None
