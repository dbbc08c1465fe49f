"""The committed catalogues: complete for the attendee pages, compiled, and consistent."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"

# What an attendee reads on the pages and in the emails: every string here must be in Arabic,
# Lithuanian and Kurdish Sorani (and so must every other string: see the test for whole catalogues).
ATTENDEE_SOURCES = (
    "templates/base.html",
    "templates/400.html",
    "templates/403",
    "templates/404.html",
    "templates/500.html",
    "templates/registration/",
    "templates/events/",
    "templates/emails/",
    "events/forms.py",
    "events/views.py",
    "events/services.py",
    "events/models.py",
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)
    fuzzy: bool = False


def _unquote(text: str) -> str:
    # PO strings use C escapes, which a Python string literal reads the same way.
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the .po files makemessages writes (no obsolete entries).

    A contexted entry's msgid is `context + "\\x04" + msgid`, as gettext keys it in the compiled file.
    """
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal entry, target
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry, target = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#:"):
            entry.refs += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            entry.fuzzy = entry.fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, target = _unquote(line[13:]), ("plural", 0)
        elif line.startswith("msgctxt "):
            entry.msgid, target = _unquote(line[8:]) + "\x04", None
        elif line.startswith("msgid "):
            entry.msgid, target = entry.msgid + _unquote(line[6:]), ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            entry.msgstr[index], target = _unquote(line[line.index("]") + 1 :]), ("msgstr", index)
        elif line.startswith("msgstr "):
            entry.msgstr[0], target = _unquote(line[7:]), ("msgstr", 0)
        elif line.startswith('"') and target is not None:
            kind, index = target
            if kind == "msgid":
                entry.msgid += _unquote(line)
            elif kind == "plural":
                entry.msgid_plural += _unquote(line)
            else:
                entry.msgstr[index] += _unquote(line)
    flush()
    return entries


def _catalog(language: str) -> dict:
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["ar", "lt", "ckb"])
def test_every_attendee_facing_string_is_translated(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")

    missing = [
        e.msgid
        for e in entries
        if e.msgid
        and any(ref.startswith(ATTENDEE_SOURCES) for ref in e.refs)
        and (e.fuzzy or not all(e.msgstr.values()))
    ]

    assert len(entries) > 100
    assert missing == []


@pytest.mark.parametrize("language", ["ar", "lt", "ckb"])
def test_whole_catalogues_are_translated(language):
    """Organiser and door screens too: once extracted (make messages), a string without its translations fails here."""
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    missing = [e.msgid for e in entries if e.msgid and (e.fuzzy or not all(e.msgstr.values()))]
    assert missing == []


@pytest.mark.parametrize("language", ["ar", "lt", "ckb"])
def test_compiled_catalogue_matches_the_po_file(language):
    """Catches a .po edited without running `make messages` (compilemessages) afterwards."""
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    compiled = _catalog(language)

    stale = []
    for e in entries:
        if not e.msgid or e.fuzzy or not all(e.msgstr.values()):
            continue
        if e.msgid_plural:
            got = {i: compiled.get((e.msgid, i)) for i in e.msgstr}
            if got != e.msgstr:
                stale.append(e.msgid)
        elif compiled.get(e.msgid) != e.msgstr[0]:
            stale.append(e.msgid)

    assert stale == []


@pytest.mark.parametrize("language", ["ar", "lt", "ckb"])
def test_translations_keep_every_placeholder(language):
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sdr]")
    wrong = []
    for e in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po"):
        if not e.msgid or e.fuzzy:
            continue
        expected = set(placeholder.findall(e.msgid)) | set(placeholder.findall(e.msgid_plural))
        for text in e.msgstr.values():
            # A plural form may spell out the number ("شخصان"), so it may drop %(counter)s; nothing else.
            unknown = set(placeholder.findall(text)) - expected
            dropped = expected - set(placeholder.findall(text))
            if text and (unknown or (dropped and not e.msgid_plural)):
                wrong.append((e.msgid, text))

    assert wrong == []
