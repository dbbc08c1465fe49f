"""A registrations CSV built to be slow gets a clear answer quickly, in the admin as on the command line."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile

from events.imports import read_rows

# A header line of 60,000 columns: checking it for duplicates column by column took minutes.
WIDE_HEADER = ("name,email," + ",".join(["name"] * 60_000) + "\nA,a@example.org\n").encode()


def test_a_header_with_tens_of_thousands_of_columns_is_refused_at_once():
    started = time.monotonic()

    rows, errors = read_rows(WIDE_HEADER)

    assert time.monotonic() - started < 5
    assert rows == []
    assert [e.code for e in errors] == ["too_many_columns"]
    assert errors[0].line == 1


def test_the_admin_import_page_reports_a_too_wide_file(actors, admin_client):
    upload = SimpleUploadedFile("wide.csv", WIDE_HEADER, content_type="text/csv")
    started = time.monotonic()

    response = admin_client.post(f"/admin/events/event/{actors.event.pk}/import/", {"file": upload, "dry_run": "on"})

    assert time.monotonic() - started < 10
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 100 are allowed" in page
    assert "60002 columns" in page
