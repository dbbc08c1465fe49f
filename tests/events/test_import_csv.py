"""CSV import: every bad row reported with its line, all or nothing, and no input crashes it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.imports import read_rows, registrations_import
from events.models import Organisation, Registration
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory

HEADER = "name,email,role,organisation,country,language,delegation,consent_share_profile,consent_attendee_list\n"


@pytest.fixture
def event(db):
    return EventFactory(slug="job-fair", title="Digital Explorers Job Fair", capacity=3)


@pytest.fixture
def run_import(event, tmp_path):
    """Run the command on `text` as a file; returns (stdout, stderr)."""

    def run(text: str | bytes, *args: str) -> tuple[str, str]:
        path = tmp_path / "people.csv"
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        out, err = io.StringIO(), io.StringIO()
        call_command("import_registrations", event.slug, str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    return run


def test_good_file_imports_arabic_names_with_bom_and_semicolons(event, run_import):
    text = (
        "\ufeffname;email;role;organisation;country;language;delegation;consent_share_profile;consent_attendee_list\n"
        "زينب الحسيني;zainab@example.iq;candidate;University of Baghdad;IQ;ar;;yes;no\n"
        "Rūta Kazlauskienė;Ruta@Migracija.example;official;Migracijos departamentas;LT;lt;LT;no;yes\n"
    )
    out, err = run_import(text)

    assert "2 registered, 0 waitlisted, 2 new organisation(s)" in out
    zainab = Registration.objects.get(event=event, user__email="zainab@example.iq")
    assert zainab.user.full_name == "زينب الحسيني"
    # An organiser's file cannot consent for anyone (issue 11): the columns are read, never applied.
    assert (zainab.language, zainab.role, zainab.consent_share_profile, zainab.consent_attendee_list) == (
        "ar",
        "candidate",
        False,
        False,
    )
    assert zainab.pending_consents == {} and not zainab.user.consents.exists()
    assert "consent columns said yes on 2 row(s) and were not applied" in err
    assert zainab.organisation.kind == Organisation.Kind.UNIVERSITY
    ruta = Registration.objects.get(event=event, user__email="ruta@migracija.example")
    assert (ruta.role, ruta.delegation, ruta.organisation.country) == ("official", "LT", "LT")
    assert ruta.organisation.kind == Organisation.Kind.GOVERNMENT


def test_only_name_and_email_are_required_and_known_organisations_are_reused(event, run_import):
    known = OrganisationFactory(name="Tigris Tech", country="IQ")
    out, _err = run_import("Email,Name,Organisation\nali@example.iq,Ali Hassan,tigris tech\n")

    assert "1 registered" in out
    registration = Registration.objects.get(event=event)
    assert registration.organisation == known
    assert (registration.role, registration.language) == ("candidate", "en")


def test_every_bad_row_is_reported_with_line_and_reason_and_nothing_is_imported(event, run_import):
    RegistrationFactory(event=event, user=UserFactory(email="taken@example.org"))
    text = HEADER + (
        "Good Person,good@example.org,candidate,,,en,,,\n"  # line 2
        "No Email,not-an-email,candidate,,,en,,,\n"  # line 3
        "Bad Role,role@example.org,king,,,en,,,\n"  # line 4
        "Bad Lang,lang@example.org,candidate,,,fr,,,\n"  # line 5
        "Bad Country,country@example.org,candidate,,XX,en,,,\n"  # line 6
        "Dup Person,GOOD@example.org,candidate,,,en,,,\n"  # line 7
        "Taken,taken@example.org,candidate,,,en,,,\n"  # line 8
        ",noname@example.org,candidate,,,en,,,\n"  # line 9
        "Consent,consent@example.org,candidate,,,en,,maybe,\n"  # line 10
        "New Org,org@example.org,employer,Nowhere Ltd,,en,,,\n"  # line 11
        "Too,many@example.org,candidate,,,en,,,,extra\n"  # line 12
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(text)

    report = registrations_import(event=event, data=text.encode())
    assert [(e.line, e.code) for e in report.errors] == [
        (3, "invalid_email"),
        (4, "invalid_role"),
        (5, "invalid_language"),
        (6, "invalid_country"),
        (7, "duplicate_email"),
        (8, "already_registered"),
        (9, "name_required"),
        (10, "invalid_consent"),
        (11, "organisation_country_required"),
        (12, "too_many_fields"),
    ]
    assert "also on line 2" in report.errors[4].message
    assert Registration.objects.filter(event=event).count() == 1
    assert not Organisation.objects.exists()


def test_command_prints_each_error_line(event, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "Ok,ok@example.org,,,,,,,\nX,bad,,,,,,,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_registrations", "job-fair", str(path), stderr=err)
    assert "line 3: “bad” is not a valid email address." in err.getvalue()


def test_over_capacity_rows_are_waitlisted_in_file_order(event, run_import):
    rows = "".join(f"Person {i},p{i}@example.org,,,,,,,\n" for i in range(5))
    out, _err = run_import(HEADER + rows)

    assert "3 registered, 2 waitlisted" in out
    waitlisted = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
    assert sorted(r.user.email for r in waitlisted) == ["p3@example.org", "p4@example.org"]


def test_dry_run_reports_the_outcome_and_changes_nothing(event, run_import, mailoutbox):
    out, _err = run_import(HEADER + "A,a@example.org,,New Org,LT,,,,\n", "--dry-run")

    assert "Dry run: 1 would be registered and 0 waitlisted" in out
    assert not Registration.objects.exists()
    assert not Organisation.objects.exists()
    assert mailoutbox == []


def test_progress_bar_redraws_on_stderr(event, run_import):
    rows = "".join(f"Person {i},p{i}@example.org,,,,,,,\n" for i in range(3))
    _out, err = run_import(HEADER + rows, "--progress")

    assert err.count("\r[") == 3
    assert "3/3" in err


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"\n\n  \n", "empty_file"),
        (b"PK\x03\x04\x00\x00garbage\x00\x01", "not_text"),
        (b"\xff\xfe\x00\xd8", "not_utf8"),
        (b"\x89PNG\r\n\x1a\n\xde\xad\xbe\xef", "not_utf8"),
        (b"Zainab,zainab@example.org\n", "missing_header"),
        (b"name,email\n", "no_rows"),
        (b"name,email,shoe_size\nA,a@example.org,42\n", "unknown_column"),
        (b"name,email,email\nA,a@example.org,b@example.org\n", "duplicate_column"),
    ],
)
def test_unusable_files_are_reported_not_crashed_on(event, run_import, data, code):
    with pytest.raises(CommandError):
        run_import(data)
    report = registrations_import(event=event, data=data)
    assert code in [e.code for e in report.errors]
    assert not Registration.objects.exists()


def test_unknown_event_and_missing_file_are_command_errors(event, tmp_path):
    with pytest.raises(CommandError, match="No event"):
        call_command("import_registrations", "nope", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_registrations", "job-fair", str(tmp_path / "missing.csv"))


def test_quoted_fields_with_delimiters_and_formula_guard(event):
    text = 'name,email,organisation,country\n"Hassan, Dr.",h@example.iq,"\'=Tigris, Tech",IQ\n'
    rows, errors = read_rows(text.encode())
    assert errors == []
    assert (rows[0].name, rows[0].organisation) == ("Hassan, Dr.", "=Tigris, Tech")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_no_bytes_crash_the_reader(data):
    rows, errors = read_rows(data)
    assert rows or errors
    for error in errors:
        assert str(error)


def test_file_can_come_from_standard_input(event, monkeypatch):
    data = "name,email\nعلي حسن,ali@example.iq\n".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = io.StringIO()
    call_command("import_registrations", event.slug, "-", stdout=out)
    assert "1 registered" in out.getvalue()
    assert Registration.objects.get().user.full_name == "علي حسن"


@pytest.mark.parametrize(
    "data",
    [
        b"sep=;\nname;email\nAli, Jr.;ali@example.iq\n",
        "name\temail\nAli, Jr.\tali@example.iq\n".encode("utf-16"),
    ],
    ids=["excel-sep-line", "utf16-tab"],
)
def test_excel_variants_are_read(data):
    rows, errors = read_rows(data)
    assert errors == []
    assert [(r.line, r.name, r.email) for r in rows] == [
        (3 if data.startswith(b"sep") else 2, "Ali, Jr.", "ali@example.iq")
    ]


def test_a_registration_that_appears_mid_import_is_skipped_and_reported(event, monkeypatch):
    # Someone registers between the checks and the writes (another organiser, the public form). The
    # rows are written in short batches so the door keeps working; the batches already written stay.
    RegistrationFactory(event=event, user=UserFactory(email="late@example.org"))
    monkeypatch.setattr("events.imports.check_against_event", lambda **kwargs: [])
    text = HEADER + "Early,early@example.org,,New Org,LT,,,,\nLate,late@example.org,,Late Org,LT,,,,\n"

    report = registrations_import(event=event, data=text.encode())

    assert report.errors == []
    assert [(e.line, e.code) for e in report.skipped] == [(3, "already_registered")]
    assert (report.imported, report.organisations_created) == (1, 1)
    assert sorted(event.registrations.values_list("user__email", flat=True)) == [
        "early@example.org",
        "late@example.org",
    ]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["New Org"]  # Late Org rolled back
