"""The programme page, the roadmap page, and the roadmap as PDF (read back with pypdf) and CSV."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from django.test import Client
from pypdf import PdfReader

from events.models import ActionItem


def _client(user=None, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _arabic_letters(text: str) -> str:
    """Arabic letters only, in logical order, whatever shaping and visual ordering the PDF holds."""
    letters = [ch for ch in unicodedata.normalize("NFKC", text) if "\u0600" <= ch <= "\u06ff"]
    return "".join(letters)


def test_the_programme_page_shows_its_events_partners_and_roadmap_summary(prog, actors):
    page = _client().get("/programmes/dex-iraq/").content.decode()
    assert "Digital Explorers – Iraq Edition" in page
    assert "Policy dialogue" in page and actors.event.title in page
    assert "Ministry of Social Security and Labour" in page and "Ministry of Labour and Social Affairs" in page
    assert "Proposed: 1" in page  # the public item only
    assert "Agreed: 0" in page
    assert _client(prog.lead_lt).get("/programmes/dex-iraq/").content.decode().count("1 action item overdue") == 1
    assert _client().get("/programmes/nope/").status_code == 404


def test_the_roadmap_page_shows_officials_items_to_officials_only(prog):
    public = _client().get("/programmes/dex-iraq/roadmap").content.decode()
    assert "Joint recognition of ICT qualifications" in public
    assert "Data exchange memorandum" not in public
    official = _client(prog.delegate_iq).get("/programmes/dex-iraq/roadmap").content.decode()
    assert "Data exchange memorandum" in official and "Overdue" in official


def test_roadmap_filters_and_a_bad_filter_is_shown_not_a_500(prog):
    client = _client(prog.lead_lt)
    page = client.get("/programmes/dex-iraq/roadmap?country=IQ").content.decode()
    assert "Data exchange memorandum" in page and "Joint recognition" not in page
    bad = client.get("/programmes/dex-iraq/roadmap?country=ZZ&status=finished")
    assert bad.status_code == 200
    assert "errorlist" in bad.content.decode()


def test_the_roadmap_page_is_arabic_and_right_to_left(prog):
    page = _client(language="ar").get("/programmes/dex-iraq/roadmap").content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "خارطة الطريق" in page


def test_the_pdf_has_the_items_by_theme_with_owners_and_dates(prog):
    response = _client(prog.lead_lt).get("/programmes/dex-iraq/roadmap.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Roadmap: Digital Explorers" in text
    for expected in (
        "Joint recognition of ICT qualifications",
        "Data exchange memorandum",
        "Recognition of qualifications",
        "Ministry of Social Security and Labour (LT)",
        "Overdue: 1",
    ):
        assert expected in text, expected
    assert prog.officials_item.due_date.strftime("%Y") in text


def test_the_public_pdf_leaves_out_officials_items(prog):
    text = _pdf_text(_client().get("/programmes/dex-iraq/roadmap.pdf").content)
    assert "Joint recognition of ICT qualifications" in text
    assert "Data exchange memorandum" not in text


def test_the_pdf_in_arabic_has_the_arabic_title_shaped(prog):
    response = _client(prog.lead_lt, language="ar").get("/programmes/dex-iraq/roadmap.pdf")
    text = _pdf_text(response.content)
    letters = _arabic_letters(text)
    title = _arabic_letters("خارطة الطريق")
    # Drawn in visual order (right to left), so read back reversed.
    assert title in letters or title[::-1] in letters
    # The labels are in Arabic too: the lead organisation's, and the overdue one.
    for label in ("الجهة الرائدة", "متأخر"):
        assert _arabic_letters(label) in letters, label
    # Shaped: the drawn text uses Arabic presentation forms, not the bare letters.
    assert any("\ufe70" <= ch <= "\ufeff" or "\ufb50" <= ch <= "\ufdff" for ch in text)
    assert "Joint recognition of ICT qualifications" in text


def test_the_csv_is_spreadsheet_safe_and_follows_visibility(prog):
    ActionItem.objects.filter(pk=prog.public_item.pk).update(title='=HYPERLINK("http://evil")')
    response = _client().get("/programmes/dex-iraq/roadmap.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://evil")']
    assert rows[0]["lead_organisation"] == "Ministry of Social Security and Labour"
    officials = list(
        csv.DictReader(
            io.StringIO(_client(prog.delegate_iq).get("/programmes/dex-iraq/roadmap.csv").content.decode("utf-8-sig"))
        )
    )
    assert {r["title"] for r in officials} == {'\'=HYPERLINK("http://evil")', "Data exchange memorandum"}
    assert {r["overdue"] for r in officials} == {"", "yes"}


@pytest.mark.parametrize(
    "path", ["/programmes/dex-iraq/roadmap", "/programmes/dex-iraq/roadmap.pdf", "/programmes/dex-iraq/roadmap.csv"]
)
def test_an_unknown_programme_is_404(prog, path):
    assert _client().get(path.replace("dex-iraq", "other")).status_code == 404


def test_an_events_page_links_to_its_programme_and_roadmap(prog):
    page = _client().get("/events/dialogue/").content.decode()
    assert 'href="/programmes/dex-iraq/"' in page and 'href="/programmes/dex-iraq/roadmap"' in page
