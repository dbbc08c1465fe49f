"""Names and free text refuse control characters and direction overrides, everywhere people type them (issue 11)."""

from __future__ import annotations

import pytest

from events.models import Registration
from events.text import text_problem
from matching.forms import LeadForm, ProfileForm
from tests.factories import EventFactory

OVERRIDE = "Ahmad\u202egnp.exe"  # shows as "Ahmadexe.png"
ISOLATE = "Ali \u2066Hassan\u2069"
ESCAPE = "Ali\x1b[2J"
ARABIC_WITH_MARK = "زينب\u200f الحسيني"  # a right-to-left mark is how Arabic keeps its punctuation right


@pytest.mark.parametrize(
    ("value", "multiline", "code"),
    [
        (OVERRIDE, False, "bidi_controls"),
        (ISOLATE, True, "bidi_controls"),
        (ESCAPE, True, "control_characters"),
        ("Ali\nHassan", False, "control_characters"),
        ("Ali\u2028Hassan", False, "control_characters"),
        ("Ali\x85Hassan", True, "control_characters"),  # a C1 control (NEXT LINE)
        ("Ali\nHassan\tok", True, None),
        (ARABIC_WITH_MARK, False, None),
        ("Rūta Kazlauskienė", False, None),
        ("كوردی\u200cیەکان", False, None),  # a zero-width non-joiner, which Kurdish spelling needs
    ],
)
def test_the_rule(value, multiline, code):
    problem = text_problem(value, multiline=multiline)
    assert (problem[0] if problem else None) == code


@pytest.fixture
def fair(db):
    return EventFactory(slug="fair", title="Digital Job Fair", capacity=10)


@pytest.mark.parametrize("name", [OVERRIDE, ISOLATE, ESCAPE])
def test_the_registration_form_refuses_hidden_characters_with_a_clear_message(client, fair, name):
    data = {"full_name": name, "email": "ahmad@example.org", "role": "candidate", "language": "en"}
    response = client.post("/events/fair/register/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Remove the" in page and ("direction" in page or "control characters" in page)
    response = client.post("/events/fair/register/", {**data, "full_name": "Ahmad", "organisation_name": name})
    assert response.status_code == 200 and "Remove the" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_registration_form_accepts_arabic_with_its_marks(client, fair):
    data = {"full_name": ARABIC_WITH_MARK, "email": "zainab@example.iq", "role": "candidate", "language": "ar"}
    response = client.post("/events/fair/register/", data)
    assert response.status_code == 302


def test_the_registration_form_says_it_in_arabic_too(client, fair):
    client.cookies["django_language"] = "ar"
    data = {"full_name": OVERRIDE, "email": "ahmad@example.org", "role": "candidate", "language": "ar"}
    page = client.post("/events/fair/register/", data, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "Remove the invisible characters" not in page  # translated, not the English source


def test_api_refuses_hidden_characters_in_names_titles_and_text(actors, api_client, token_for):
    organiser = api_client(token_for(actors.organiser))
    person = api_client(token_for(actors.outsider))
    base = "/api/v1/events/job-fair"
    actors.event.status = "published"
    actors.event.save()

    answers = {
        "registration name": person.post(f"{base}/registrations", {"name": OVERRIDE, "email": actors.outsider.email}),
        "event title": organiser.patch(base, {"title": ESCAPE}),
        "event venue": organiser.patch(base, {"venue": "Hall\nB"}),
        "event description": organiser.patch(base, {"description": "Line one\n\u202eenil owt"}),
        "session speakers": organiser.post(
            f"{base}/sessions",
            {
                "title": "Panel",
                "speakers": ISOLATE,
                "starts_at": "2030-01-01T10:00:00+00:00",
                "ends_at": "2030-01-01T11:00:00+00:00",
            },
        ),
        "announcement": organiser.post(f"{base}/announcements", {"text": "Lunch\u202e"}),
        "device name": organiser.post("/api/v1/checkin/events/job-fair/devices", {"name": ESCAPE}),
    }
    for what, response in answers.items():
        assert response.status_code == 422, (what, response.content)
        body = response.json()
        assert body["reason"] == "validation", what
        assert any("Remove the" in message for messages in body["errors"].values() for message in messages), what
    actors.event.refresh_from_db()
    assert actors.event.title == "Vilnius–Baghdad Digital Job Fair"

    # Free text keeps its line breaks; Arabic keeps its marks.
    ok = organiser.patch(base, {"description": "Line one\nLine two", "venue": ARABIC_WITH_MARK})
    assert ok.status_code == 200, ok.content
    assert organiser.post(f"{base}/announcements", {"text": "Lunch\nin Hall B"}).status_code == 201


def test_matching_api_and_forms_refuse_hidden_characters(actors, api_client, token_for):
    candidate_token = token_for(actors.candidate)
    candidate = api_client(candidate_token)
    employer = api_client(token_for(actors.employer_a))
    profile = candidate.put(
        "/api/v1/matching/me/profile",
        {"headline": OVERRIDE},
        content_type="application/json",
        headers={"Authorization": f"Bearer {candidate_token}"},
    )
    assert profile.status_code == 422 and "headline" in profile.json()["errors"]
    note = employer.post(
        "/api/v1/matching/events/job-fair/leads", {"candidate_id": actors.candidate.pk, "note": "ok\n\u2067x"}
    )
    assert note.status_code == 422 and "note" in note.json()["errors"]
    message = candidate.post(
        "/api/v1/matching/events/job-fair/requests", {"organisation_id": actors.org_a.pk, "message": ESCAPE}
    )
    assert message.status_code == 422 and "message" in message.json()["errors"]

    form = ProfileForm(data={"headline": OVERRIDE, "field_of_study": ESCAPE, "years_experience": 0}, skills=[])
    assert not form.is_valid()
    assert {"headline", "field_of_study"} <= set(form.errors)
    assert LeadForm(data={"note": "Met at the booth\nStrong Python"}).is_valid()
    assert "note" in LeadForm(data={"note": "x\u202e"}).errors
