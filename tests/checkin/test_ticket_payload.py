from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from checkin.qr import qr_png, qr_version
from checkin.tickets import make_payload, new_code, parse_payload


def test_payload_round_trips_and_names_its_event():
    payload = make_payload(event_id=4242, code=new_code(), version=1)
    parts = parse_payload(payload)
    assert parts is not None and parts.event_id == 4242 and parts.version == 1


def test_any_altered_character_makes_the_payload_invalid():
    payload = make_payload(event_id=7, code="ABCDEFGHIJ", version=1)
    for i, ch in enumerate(payload):
        if ch == ".":
            continue
        other = "B" if ch != "B" else "C"
        assert parse_payload(payload[:i] + other + payload[i + 1 :]) is None, i


def test_a_payload_cannot_be_moved_to_another_event_or_version():
    payload = make_payload(event_id=7, code="ABCDEFGHIJ", version=1)
    head, event, code, version, mac = payload.split(".")
    assert parse_payload(".".join([head, "8", code, version, mac])) is None
    assert parse_payload(".".join([head, event, code, "2", mac])) is None


def test_payload_is_short_uppercase_alphanumeric_for_a_low_density_qr():
    payload = make_payload(event_id=36**4, code=new_code(), version=99)
    assert len(payload) <= 40
    assert set(payload) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.")
    assert qr_version(payload) <= 3


def test_garbage_is_invalid_not_an_error():
    for junk in [None, 12, "", "EE1", "x" * 10_000, "EE1.1.ABCDEFGHIJ.1.AAAAAAAAAAAAAAAA", "\x00", "ee1.é"]:
        assert parse_payload(junk) is None


def test_png_decodes_back_to_the_payload():
    payload = make_payload(event_id=3, code=new_code(), version=2)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(payload))))
    assert [r.text for r in decoded] == [payload]


def test_look_alike_characters_never_fold_into_a_genuine_payload():
    # Issue 11: Unicode case folding turned these into a valid ticket.
    payload = make_payload(event_id=7, code="SSIIABCDST", version=1)
    assert parse_payload(payload) is not None
    assert parse_payload(payload.lower()) is not None  # camera apps that switch case are still forgiven
    look_alikes = {
        "S": ["ſ"],  # LATIN SMALL LETTER LONG S: "ſ".upper() == "S"
        "I": ["ı"],  # LATIN SMALL LETTER DOTLESS I: "ı".upper() == "I"
        "ST": ["ﬅ", "ﬆ"],  # ligatures: upper() == "ST"
    }
    for plain, fakes in look_alikes.items():
        for fake in fakes:
            forged = payload.replace(plain, fake, 1)
            assert forged != payload and forged.upper() == payload  # what case folding made of it
            assert parse_payload(forged) is None, fake
    fullwidth = payload.replace("E", "Ｅ", 1)  # FULLWIDTH LATIN CAPITAL LETTER E
    cyrillic = payload.replace("A", "А", 1)  # CYRILLIC CAPITAL LETTER A
    for forged in (fullwidth, cyrillic, payload + "\u3000", "\u2028" + payload, payload + "\n\x1c"):
        assert parse_payload(forged) is None, ascii(forged)
    assert parse_payload(f" {payload}\r\n") is not None  # a keyboard-wedge scanner's whitespace
