"""CSV import (row-level errors, all or nothing) and export (spreadsheet-safe) of the directory."""

from __future__ import annotations

import csv
import io

import pytest

from events.exceptions import PermissionDenied
from events.models import Stakeholder
from events.stakeholder_csv import stakeholders_csv
from events.stakeholder_selectors import DirectoryFilters, directory
from events.stakeholders import stakeholders_import


def _import(world, text: str, actor=None):
    return stakeholders_import(programme=world.programme, actor=actor or world.staff, data=text.encode("utf-8"))


def test_a_good_file_imports_every_row(world):
    report = _import(
        world,
        "name,type,country,city,website,tags\n"
        'Erbil Tech Hub,Tech hub,IQ,Erbil,https://hub.example,"ict, startups"\n'
        "Basra Training Centre,training_provider,iq,Basra,,\n",
    )
    assert report.ok and report.created == 2
    hub = Stakeholder.objects.get(name="Erbil Tech Hub")
    assert (hub.kind, hub.country, hub.tags) == ("tech_hub", "IQ", ["ict", "startups"])


def test_bad_rows_are_reported_by_line_and_nothing_is_written(world):
    before = Stakeholder.objects.count()
    report = _import(
        world,
        "name,type,country,city\n"
        "Good One,company,IQ,Baghdad\n"
        "Bad Country,company,XX,Baghdad\n"
        ",company,IQ,Baghdad\n"
        "Castle,castle,IQ,\n"
        "University of Baghdad,university,IQ,Baghdad\n"
        "Good One,company,IQ,Erbil\n",
    )
    assert not report.ok and report.created == 0
    assert [(e.line, e.code) for e in report.errors] == [
        (3, "country"),
        (4, "name"),
        (5, "type"),
        (6, "exists"),
        (7, "duplicate"),
    ]
    assert Stakeholder.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe\x00bad", b"\x80\x81 not utf8", b"colour,size\nred,big\n", b'name,type,country\n"unclosed'],
)
def test_a_broken_file_is_an_error_not_a_crash(world, data):
    report = stakeholders_import(programme=world.programme, actor=world.staff, data=data)
    assert not report.ok and report.created == 0


def test_import_is_refused_to_someone_outside_the_programme(world):
    with pytest.raises(PermissionDenied):
        _import(world, "name,type,country\nX,company,IQ\n", actor=world.official)


def test_export_defuses_formulas_and_imports_back(world):
    _import(world, 'name,type,country,city\n"=HYPERLINK(""http://evil"")",company,IQ,Basra\n')
    text = stakeholders_csv(directory(programme=world.programme, filters=DirectoryFilters()))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"].startswith("'=HYPERLINK")
    assert {r["name"] for r in rows} >= {"University of Baghdad", "Ministry of Communications"}
    Stakeholder.objects.all().delete()
    report = stakeholders_import(programme=world.programme, actor=world.staff, data=text.encode())
    assert report.ok and Stakeholder.objects.filter(name__startswith="=HYPERLINK").exists()
