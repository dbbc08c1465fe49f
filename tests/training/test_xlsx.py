"""The grid's XLSX download: the same table as the CSV, text cells never formulas, for trainers only."""

from __future__ import annotations

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from tests.checkin.test_training_grid import make_training


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_xlsx_is_the_csvs_table_and_no_cell_is_a_formula(actors):
    course = make_training(actors)
    course.ali.user.full_name = '=HYPERLINK("http://evil.example","click")'
    course.ali.user.save()
    client = _client(course.trainer)
    response = client.get(f"/checkin/{course.event.slug}/training.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    csv_rows = list(csv.reader(io.StringIO(client.get(f"/checkin/{course.event.slug}/training.csv").content.decode())))
    csv_rows[0][0] = csv_rows[0][0].lstrip("\ufeff")
    assert [[("" if v is None else str(v)) for v in row] for row in rows] == csv_rows
    header = rows[0]
    assert header[:9] == [
        "Name", "Email", "Attended", "Excused", "Missed", "Percent", "Gap", "Final assessment", "Standing"
    ]  # fmt: skip
    assert len(header) == 9 + 4  # one column per session not cancelled
    ali = next(row for row in rows if row[1] == course.ali.user.email)
    assert ali[0] == "'" + '=HYPERLINK("http://evil.example","click")'  # text, as in the CSV
    assert ali[2] == 1 and "Kick-off" in header[9] and ali[9] == "absent"


def test_the_xlsx_is_for_trainers_and_organisers_only(actors):
    course = make_training(actors)
    path = f"/checkin/{course.event.slug}/training.xlsx"
    assert _client().get(path).status_code == 302
    assert _client(actors.candidate).get(path).status_code == 403
    assert _client(actors.organiser).get(path).status_code == 200
