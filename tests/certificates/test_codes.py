"""Certificate codes: random, with check characters; read back forgivingly; a typo is told from a made-up code."""

from __future__ import annotations

from matching import certificates
from matching.certificates import ALPHABET, CODE_LENGTH, grouped, new_code, normalise


def test_codes_are_sixteen_crockford_characters_and_never_repeat():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    # The random part uses the whole alphabet (secrets.choice over 32 symbols), not a narrow range.
    assert set("".join(c[:12] for c in codes)) == set(ALPHABET)


def test_reading_back_ignores_case_and_separators_and_maps_ambiguous_letters():
    code = new_code()
    assert normalise(grouped(code).lower()) == code
    assert normalise(" " + grouped(code) + " ") == code
    typed = code.replace("0", "o").replace("1", "l")
    assert normalise(typed) == code
    assert normalise("I") is None  # too short
    assert normalise(code[:-1] + "U") is None  # U is not in Crockford's alphabet
    assert normalise(code + "0") is None
    assert normalise("x" * 500) is None


def test_a_changed_character_breaks_the_check(db):
    code = new_code()
    for i in range(CODE_LENGTH):
        other = ALPHABET[(ALPHABET.index(code[i]) + 1) % 32]
        changed = code[:i] + other + code[i + 1 :]
        assert certificates.certificate_lookup(raw=changed).status == "mistyped"
    # The right check, but never issued.
    assert certificates.certificate_lookup(raw=code).status == "unknown"
    assert certificates.certificate_lookup(raw="hello").status == "malformed"


def test_the_check_depends_on_the_secret_key(settings):
    code = new_code()
    settings.SECRET_KEY = settings.SECRET_KEY[::-1] + "-another"  # any other key
    assert normalise(code) == code
    assert certificates.certificate_lookup(raw=code).status == "mistyped"
