"""The summary page, the CSVs, the three-way gap page, the PDF report and the summary API: what each
person sees. Organisers and programme staff only; others signed in get the 403 page; visitors sign in."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.conftest import make_token


def _client(user=None, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _pages(world) -> list[str]:
    base = f"/programmes/{world.programme.slug}"
    q = world.questionnaire.pk
    return [
        f"{base}/questionnaires/{q}/summary",
        f"{base}/questionnaires/{q}/answers.csv",
        f"{base}/skills-gap",
        f"{base}/skills-gap.csv",
        f"{base}/needs-assessment.pdf",
        f"{base}/needs-assessment.csv",
    ]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("who", ["organiser", "staff"])
def test_organisers_and_programme_staff_see_every_page(world, who):
    client = _client(getattr(world, who))
    for path in _pages(world):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("who", ["official", "outsider"])
def test_others_signed_in_get_the_403_page(world, who):
    client = _client(getattr(world, who))
    for path in _pages(world):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "University of Baghdad" not in response.content.decode(errors="replace")


def test_visitors_are_sent_to_sign_in(world):
    for path in _pages(world):
        response = Client().get(path)
        assert response.status_code == 302 and "next=" in response["Location"], path


def test_unknown_programme_or_questionnaire_or_filter_is_a_4xx(world):
    client = _client(world.organiser)
    base = f"/programmes/{world.programme.slug}/questionnaires"
    assert client.get("/programmes/nope/skills-gap").status_code == 404
    assert client.get(f"{base}/{world.questionnaire.pk + 1000}/summary").status_code == 404
    assert client.get(f"{base}/99999999999999999999/summary").status_code == 404
    assert client.get(f"{base}/{world.questionnaire.pk}/summary?kind=spaceship").status_code == 400
    assert client.get(f"{base}/{world.questionnaire.pk}/answers.csv?city=Atlantis").status_code == 400
    assert client.post(f"{base}/{world.questionnaire.pk}/summary").status_code == 405


def test_summary_page_shows_charts_counts_and_free_text_with_its_stakeholder(world):
    page = _client(world.staff).get(f"/programmes/lt-iq/questionnaires/{world.questionnaire.pk}/summary").content
    page = page.decode()
    assert "ICT curriculum review" in page
    assert page.count('class="chart chart-categories"') >= 3  # choices, multiple, scale, skills
    assert 'class="chart chart-time"' in page  # the histogram of graduates
    assert "On site: 2" in page  # the chart's description reads the figure
    assert "Not enough practice" in page and "Erbil Polytechnic" in page
    assert "Basra Institute" not in page  # a draft


def test_summary_page_filters_by_city(world):
    url = f"/programmes/lt-iq/questionnaires/{world.questionnaire.pk}/summary?city=Erbil"
    page = _client(world.staff).get(url).content.decode()
    assert "Not enough practice" in page
    assert "no cloud labs" not in page


def test_summary_page_in_arabic_draws_right_to_left(world):
    url = f"/programmes/lt-iq/questionnaires/{world.questionnaire.pk}/summary"
    page = _client(world.organiser, language="ar").get(url).content.decode()
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert "مراجعة مناهج تكنولوجيا المعلومات" in page
    assert 'direction="rtl"' in page and "حضوري" in page


def test_skills_gap_page_has_the_table_the_chart_and_the_call_outs(world):
    page = _client(world.organiser).get("/programmes/lt-iq/skills-gap").content.decode()
    assert 'id="three-way-gap"' in page
    table = page[page.index('id="gap-table"') :]
    assert table.index('data-skill="python"') < table.index('data-skill="java"')  # java has no shortage
    taught_only = page[page.index('id="taught-not-demanded"') : page.index('id="demanded-not-taught"')]
    assert "Java" in taught_only and "Docker" not in taught_only
    assert "/matching/fair-2026/gap-report" in page


def test_event_gap_report_links_to_the_programme_gap(world):
    page = _client(world.organiser).get("/matching/fair-2026/gap-report").content.decode()
    assert "/programmes/lt-iq/skills-gap" in page


def test_the_pdf_holds_the_questionnaire_title_and_a_skill_from_the_answers(world):
    response = _client(world.staff).get("/programmes/lt-iq/needs-assessment.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "ICT curriculum review" in text
    assert "Python" in text and "Java" in text
    assert "Not enough practice" in text


def test_the_pdf_in_arabic_is_shaped(world):
    response = _client(world.staff, language="ar").get("/programmes/lt-iq/needs-assessment.pdf")
    text = _pdf_text(response.content)
    letters = "".join(ch for ch in unicodedata.normalize("NFKC", text) if "\u0600" <= ch <= "\u06ff")
    title = "".join(ch for ch in "مراجعة مناهج تكنولوجيا المعلومات" if ch != " ")
    assert title in letters or title[::-1] in letters


def test_summary_api_for_staff_only(world, api_client):
    path = f"/api/v1/questionnaires/{world.questionnaire.pk}/summary"
    body = api_client(make_token(world.staff)).get(path, {"kind": "university"}).json()
    assert body["responses"] == 2 and body["filters"]["kind"] == "university"
    questions = {q["key"]: q for s in body["sections"] for q in s["questions"]}
    assert questions["graduates"]["stats"]["median"] == 80
    assert api_client(make_token(world.official)).get(path).status_code == 403
    assert api_client().get(path).status_code == 401
    assert api_client(make_token(world.organiser)).get(path, {"kind": "spaceship"}).status_code == 422
    assert api_client(make_token(world.organiser)).get(path, {"country": "Iraq"}).status_code == 422
    missing = f"/api/v1/questionnaires/{world.questionnaire.pk + 1000}/summary"
    assert api_client(make_token(world.organiser)).get(missing).status_code == 404


def test_reading_the_pages_writes_nothing(world):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(world.organiser)
    client.get(_pages(world)[0])  # the session is read once; nothing below may write
    for path in [*_pages(world), f"/api/v1/questionnaires/{world.questionnaire.pk}/summary"]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        writes = [q["sql"] for q in captured.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
        assert writes == [], path


def test_another_programmes_staff_see_nothing_of_this_one(world, api_client):
    from events.models import Membership, ProgrammePartner
    from events.programmes import programme_create
    from tests.factories import OrganisationFactory, UserFactory

    other_org = OrganisationFactory(name="Other implementer", country="LT")
    other = programme_create(
        slug="other",
        name="Another programme",
        partners=[{"organisation": other_org.pk, "country": "LT", "role": ProgrammePartner.Role.IMPLEMENTING}],
    )
    their_staff = UserFactory(email="their-staff@example.org")
    Membership.objects.create(user=their_staff, organisation=other_org, status=Membership.Status.GRANTED)
    client = _client(their_staff)
    for path in _pages(world):
        assert client.get(path).status_code == 403, path
    # This programme's questionnaire is not found under the other programme, even by an organiser.
    path = f"/programmes/{other.slug}/questionnaires/{world.questionnaire.pk}/summary"
    assert _client(world.organiser).get(path).status_code == 404
    assert client.get(path).status_code == 404
    api = f"/api/v1/questionnaires/{world.questionnaire.pk}/summary"
    assert api_client(make_token(their_staff)).get(api).status_code == 403
