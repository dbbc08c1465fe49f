"""Who sees the indicators (organisers and programme staff), and the page, API, CSV and PDF they get."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from tests.conftest import make_token


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


PATHS = ("/programmes/lt-iq/indicators", "/programmes/lt-iq/indicators.csv", "/programmes/lt-iq/indicators.pdf")


@pytest.mark.parametrize("path", PATHS)
def test_signed_out_visitors_are_sent_to_sign_in(world, path):
    response = _client().get(path)
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("path", PATHS)
def test_officials_of_other_partners_and_outsiders_get_403(world, path):
    assert _client(world.official).get(path).status_code == 403
    assert _client(world.outsider).get(path).status_code == 403


@pytest.mark.parametrize("path", PATHS)
def test_organisers_and_programme_staff_see_them(world, path):
    assert _client(world.organiser).get(path).status_code == 200
    assert _client(world.staff).get(path).status_code == 200


def test_an_unknown_programme_is_404(world):
    assert _client(world.organiser).get("/programmes/nope/indicators").status_code == 404


def test_writes_are_refused(world):
    assert _client(world.organiser).post("/programmes/lt-iq/indicators").status_code == 405


def test_the_page_shows_the_figures_and_a_chart_drawn_on_the_server(world):
    body = _client(world.staff).get("/programmes/lt-iq/indicators").content.decode()
    assert 'data-indicator="enrolled"><span class="n">3</span>' in body
    assert 'data-indicator="met_employer"><span class="n">2</span>' in body
    assert 'data-indicator="action_items_done"><span class="n">2</span>' in body
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-time" id="chart-attended"' in body
    assert "<script src=" not in body.split('id="indicators"')[1].split("</main>")[0]


def test_a_figure_without_its_source_reads_not_recorded_yet(world):
    world.fair.programme = None
    world.fair.save()
    body = _client(world.organiser).get("/programmes/lt-iq/indicators").content.decode()
    assert 'data-indicator="offers"><span class="n none">not recorded yet</span>' in body
    assert 'data-indicator="certified"><span class="n">0</span>' in body


def test_arabic_reads_right_to_left(world):
    client = _client(world.organiser)
    client.cookies["django_language"] = "ar"
    body = client.get("/programmes/lt-iq/indicators", headers={"accept-language": "ar"}).content.decode()
    assert 'direction="rtl"' in body


def test_the_csv_has_every_figure(world):
    response = _client(world.organiser).get("/programmes/lt-iq/indicators.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "item", "value"]
    figures = {item: value for section, item, value in rows[1:] if section == "indicator"}
    assert figures["enrolled"] == "3"
    assert figures["attended"] == "2"
    assert figures["officials_engaged"] == "1"
    assert figures["stakeholders_reached"] == "1"
    months = [item for section, item, _value in rows if section == "attended_by_month"]
    assert months and all(
        m.split(" ")[1] in ("sessions_held", "trainees_attended", "attendances", "rate") for m in months
    )


def test_the_pdf_is_a_pdf_in_english_and_arabic(world):
    client = _client(world.organiser)
    response = client.get("/programmes/lt-iq/indicators.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Indicators: Lithuania–Iraq digital mobility" in text
    assert "Trainees enrolled: 3" in text
    assert "Candidates who met at least one employer: 2" in text
    assert "Action items done: 2" in text
    with translation.override("ar"):
        client.cookies["django_language"] = "ar"
        arabic = client.get("/programmes/lt-iq/indicators.pdf", headers={"accept-language": "ar"})
    assert arabic.status_code == 200 and arabic.content.startswith(b"%PDF")


def test_the_api_gives_the_same_figures_to_organisers_and_staff(world, api_client):
    response = api_client(make_token(world.staff)).get("/api/v1/programmes/lt-iq/indicators")
    assert response.status_code == 200
    data = response.json()
    assert data["programme"] == {"slug": "lt-iq", "name": "Lithuania–Iraq digital mobility"}
    assert data["enrolled"] == 3 and data["attended"] == 2 and data["met_employer"] == 2
    assert data["stakeholders"] == {"listed": 2, "reached": 1}
    assert data["action_items"] == {"done": 2, "total": 3}
    assert [m["month"] for m in data["attended_by_month"]] == sorted(m["month"] for m in data["attended_by_month"])
    assert api_client(make_token(world.organiser)).get("/api/v1/programmes/lt-iq/indicators").status_code == 200


def test_the_api_refuses_others(world, api_client):
    assert api_client().get("/api/v1/programmes/lt-iq/indicators").status_code == 401
    for user in (world.official, world.outsider):
        response = api_client(make_token(user)).get("/api/v1/programmes/lt-iq/indicators")
        assert response.status_code == 403
        assert response.json()["reason"] == "forbidden"
    token = make_token(world.organiser)
    assert api_client(token).get("/api/v1/programmes/nope/indicators").json()["reason"] == "not_found"
    assert api_client(token).get("/api/v1/programmes/%E2%80%AE/indicators").status_code == 404


def test_the_programme_page_links_them_for_those_who_may_see_them(world):
    assert 'href="/programmes/lt-iq/indicators"' in _client(world.staff).get("/programmes/lt-iq/").content.decode()
    assert (
        'href="/programmes/lt-iq/indicators"' not in _client(world.official).get("/programmes/lt-iq/").content.decode()
    )
