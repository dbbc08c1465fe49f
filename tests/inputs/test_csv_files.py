"""CSV files we hand out and read back: formulas stay text, escape codes never reach a terminal,
doubled quotes are read as one, and an export imports back unchanged (issue 11)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from events.csv_rows import read_rows, spreadsheet_safe
from events.imports import registrations_import
from events.models import Registration
from matching.models import Lead
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401

FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _export(slug: str) -> str:
    out = io.StringIO()
    call_command("export_registrations", slug, stdout=out)
    return out.getvalue()


def test_leads_csv_defuses_formulas_in_names_and_notes(actors, client):
    build_fair(actors)
    actors.candidate.full_name = "=cmd|' /C calc'!A0"
    actors.candidate.save()
    Lead.objects.create(
        event=actors.event, organisation=actors.org_a, candidate=actors.candidate, rating=5, note=FORMULAS[0]
    )
    client.force_login(actors.employer_a)

    body = client.get("/matching/job-fair/leads.csv").content.decode("utf-8-sig")

    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["note"] == "'" + FORMULAS[0]
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("value", FORMULAS)
def test_every_formula_start_is_defused_and_read_back_as_typed(value):
    cell = spreadsheet_safe(value)
    if value.startswith("\r"):
        # A carriage return is a control character: it is replaced, which defuses it too.
        assert cell == "\ufffd=1"
        return
    assert cell.startswith("'")
    text = "name,email,organisation,country\n" + _csv_line(["Ali", "ali@example.iq", value, "IQ"])
    rows, errors = read_rows(text.replace(value, cell).encode())
    assert errors == [] and rows[0].organisation == " ".join(value.split())


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


@pytest.mark.django_db
def test_export_never_writes_terminal_escape_codes():
    event = EventFactory(slug="fair")
    # Stored before names were checked (or written straight into the database): clear the screen,
    # move the cursor home, a C1 CSI, a carriage return that overwrites the line, a bidi override.
    nasty = "Ali\x1b[2J\x1b[H\x9b31m\rEvil\u202eexe.pdf"
    RegistrationFactory(event=event, user=UserFactory(email="ali@example.iq", full_name=nasty))
    RegistrationFactory(
        event=event,
        user=UserFactory(email="org@example.iq"),
        organisation=OrganisationFactory(name="Tigris\x07\x08Tech", country="IQ"),
    )

    text = _export("fair")

    assert not any(ch in text for ch in "\x1b\x9b\r\x07\x08\u202e")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["name"] == "Ali\ufffd[2J\ufffd[H\ufffd31m\ufffdEvil\ufffdexe.pdf"
    assert rows[1]["organisation"] == "Tigris\ufffd\ufffdTech"


def test_doubled_quotes_are_read_as_one_quote():
    # A header without quotes made the sniffer conclude that quotes are never doubled.
    text = 'name,email,organisation\n"Ali ""The Lion"" Hassan",ali@example.iq,"Tigris ""Tech"", LLC"\n'
    rows, errors = read_rows(text.encode())
    assert errors == []
    assert (rows[0].name, rows[0].organisation) == ('Ali "The Lion" Hassan', 'Tigris "Tech", LLC')
    semicolons = 'name;email;organisation\n"Ali ""The Lion"" Hassan";ali@example.iq;"Tigris ""Tech""; LLC"\n'
    rows, errors = read_rows(semicolons.encode())
    assert errors == [] and rows[0].name == 'Ali "The Lion" Hassan'


NAMES = [
    'Ali "The Lion" Hassan',
    "O'Brien, Seán",
    'زينب "الحسيني", بغداد',
    '=HYPERLINK("http://evil")',
    "'quoted' from the start",
    "-minus",
    "Rūta Kazlauskienė",
]


@pytest.mark.django_db
def test_an_export_imports_back_unchanged(tmp_path):
    source = EventFactory(slug="fair", timezone="Asia/Baghdad")
    for i, name in enumerate(NAMES):
        organisation = OrganisationFactory(
            name=f'Org "{i}", Baghdad\nBranch' if i == 0 else f"Org {i}, Ltd", country="IQ"
        )
        RegistrationFactory(
            event=source,
            user=UserFactory(email=f"p{i}@example.iq", full_name=name),
            organisation=organisation,
            language="ar",
        )
    path = tmp_path / "fair.csv"
    call_command("export_registrations", "fair", "--output", str(path))
    rows, errors = read_rows(path.read_bytes())
    assert errors == []
    assert [row.name for row in rows] == NAMES
    assert rows[0].organisation == 'Org "0", Baghdad Branch'  # white space in a name is one space
    copy = EventFactory(slug="fair-2")

    report = registrations_import(event=copy, data=path.read_bytes())

    assert report.ok, report.errors
    assert report.registered == len(NAMES)

    def people(event):
        return sorted(
            (r.user.email, r.user.full_name, r.organisation.name, r.organisation_id, r.language, r.role)
            for r in event.registrations.select_related("user", "organisation")
        )

    assert people(copy) == people(source)
    # And the second export is the first one, but for the event's own columns.
    first, second = (list(csv.reader(io.StringIO(_export(slug).lstrip("\ufeff")))) for slug in ("fair", "fair-2"))
    assert [row[:9] for row in first] == [row[:9] for row in second]
    assert Registration.objects.filter(event=copy).count() == len(NAMES)
