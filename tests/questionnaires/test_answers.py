"""Answering through a personal link: validation per kind, conditions, autosave with revisions (the last
write per question wins), a submission recorded once, edits until the questionnaire closes, the first
opening recorded by a POST (never by the GET), and a link that opens only its own questionnaire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import questionnaire_answers as answers
from events import questionnaire_links as links
from events.models import Question, Questionnaire, QuestionnaireInvitation, QuestionnaireResponse, QuestionnaireSection
from tests.questionnaires.answers_setup import Setup, build_questionnaire, make_setup, tokens_by_address


@pytest.fixture
def setup(db) -> Setup:
    return make_setup()


@pytest.fixture
def token(setup, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        links.invitations_send(questionnaire=setup.questionnaire, actor=setup.organiser, kinds=["university"])
    return tokens_by_address()["huda@uob.example"]


def _save(token: str, changes, *, submit: bool = False, **extra):
    url = f"/q/{token}/{'submit' if submit else 'save'}"
    return Client().post(url, {"changes": changes, **extra}, content_type="application/json")


def _response() -> QuestionnaireResponse:
    return QuestionnaireResponse.objects.get()


VALID = {
    "has_internship": "yes",
    "internship_weeks": 12,
    "languages": ["ar", "en", "ar"],
    "practical": 4,
    "graduates": 350,
    "programme_name": "  Computer Science  ",
    "notes": "Two labs.\nOne industry project.",
    "last_review": "2025-09-01",
    "skills_taught": [{"skill": "python", "level": 4}, {"skill": "sql", "level": 3}],
}


def test_every_kind_is_saved_in_its_shape(token):
    response = _save(token, VALID)
    assert response.status_code == 200, response.content
    stored = _response().answers
    assert stored["languages"] == ["ar", "en"]  # a repeated option once
    assert stored["programme_name"] == "Computer Science"
    assert stored["skills_taught"] == [{"skill": "python", "level": 4}, {"skill": "sql", "level": 3}]
    assert response.json() == {"revision": 1, "answers": stored, "submitted": False, "submitted_now": False}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("has_internship", "maybe"),
        ("has_internship", ["yes"]),
        ("languages", ["fr"]),
        ("languages", "ar"),
        ("practical", 0),
        ("practical", 6),
        ("practical", 3.5),
        ("practical", True),
        ("practical", "3"),
        ("graduates", -1),
        ("graduates", 100001),
        ("graduates", "many"),
        ("graduates", 10**400),
        ("practical", 10**400),
        ("internship_weeks", 53),
        ("programme_name", "x" * 301),
        ("programme_name", "line\nbreak"),
        ("notes", "y" * 5001),
        ("notes", 42),
        ("last_review", "01/09/2025"),
        ("last_review", "2025-02-30"),
        ("skills_taught", [{"skill": "cobol", "level": 3}]),
        ("skills_taught", [{"skill": "python", "level": 6}]),
        ("skills_taught", [{"skill": "python", "level": -1}]),
        ("skills_taught", [{"skill": "python"}]),
        ("skills_taught", [{"skill": "python", "level": 2, "extra": 1}]),
        ("skills_taught", "python"),
        ("no_such_question", "x"),
    ],
)
def test_an_invalid_answer_is_refused_by_question_and_nothing_is_saved(token, key, value):
    changes = {"practical": 2, key: value} if key != "practical" else {key: value}
    if key == "internship_weeks":
        changes["has_internship"] = "yes"
    response = _save(token, changes)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_answers"
    assert list(response.json()["errors"]) == [key[:60]]
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"changes": [1]}', b'{"changes": "x"}'])
def test_an_unreadable_body_is_a_400(token, body):
    response = Client().post(f"/q/{token}/save", body, content_type="application/json")
    assert response.status_code == 400


def test_a_hidden_questions_answer_is_dropped(token):
    _save(token, {"has_internship": "yes", "internship_weeks": 8})
    assert _response().answers == {"has_internship": "yes", "internship_weeks": 8}
    response = _save(token, {"has_internship": "no"})
    assert response.json()["answers"] == {"has_internship": "no"}
    # Answering the hidden question alone changes nothing either.
    _save(token, {"internship_weeks": 9})
    assert _response().answers == {"has_internship": "no"}


def test_the_last_write_per_question_wins_across_tabs(token):
    first = _save(token, {"practical": 2}).json()
    assert first["revision"] == 1
    # Tab B, opened at revision 1, changes another question; tab A (still at revision 1) then writes.
    assert _save(token, {"graduates": 10}, revision=1).json()["revision"] == 2
    tab_a = _save(token, {"practical": 5}, revision=1).json()
    assert tab_a["revision"] == 3
    # Tab A's stale revision did not undo tab B's answer, and the reply lets A catch up with it.
    assert tab_a["answers"] == {"practical": 5, "graduates": 10}


def test_a_repeated_save_leaves_the_revision_alone(token):
    assert _save(token, {"practical": 2}).json()["revision"] == 1
    assert _save(token, {"practical": 2}).json()["revision"] == 1
    assert _save(token, {"practical": None}).json() == {
        "revision": 2,
        "answers": {},
        "submitted": False,
        "submitted_now": False,
    }


def test_submitting_twice_records_once(token):
    first = _save(token, {"has_internship": "no"}, submit=True).json()
    assert first["submitted"] and first["submitted_now"]
    submitted_at = _response().submitted_at
    second = _save(token, {"has_internship": "no"}, submit=True).json()
    assert second["submitted"] and not second["submitted_now"]
    assert QuestionnaireResponse.objects.count() == 1
    assert _response().submitted_at == submitted_at


def test_submitting_needs_the_required_visible_answers(token):
    refused = _save(token, {"has_internship": "yes"}, submit=True)
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["internship_weeks"]
    assert not QuestionnaireResponse.objects.filter(submitted_at__isnull=False).exists()
    # Hidden, the same required question is not asked for.
    assert _save(token, {"has_internship": "no"}, submit=True).status_code == 200


def test_answers_can_be_edited_after_submitting_until_the_questionnaire_closes(setup, token):
    _save(token, {"has_internship": "no"}, submit=True)
    assert _save(token, {"practical": 3}).status_code == 200
    assert _response().answers == {"has_internship": "no", "practical": 3}
    Questionnaire.objects.filter(pk=setup.questionnaire.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    refused = _save(token, {"practical": 1})
    assert refused.status_code == 409 and refused.json()["error"] == "closed"
    assert _response().answers["practical"] == 3
    page = Client().get(f"/q/{token}/")
    assert (
        page.status_code == 410
        and "Your answers were received" in Client().get(f"/q/{token}/?lang=en").content.decode()
    )


def test_opening_the_page_writes_nothing_and_the_scripts_post_records_the_first_opening(token):
    with CaptureQueriesContext(connection) as captured:
        page = Client().get(f"/q/{token}/")
    assert page.status_code == 200
    assert not [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    invitation = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    assert invitation.opened_at is None
    assert Client().post(f"/q/{token}/opened").status_code == 204
    invitation.refresh_from_db()
    first = invitation.opened_at
    assert first is not None
    Client().post(f"/q/{token}/opened")
    invitation.refresh_from_db()
    assert invitation.opened_at == first


def test_the_endpoints_take_only_post(token):
    for action in ("opened", "save", "submit"):
        assert Client().get(f"/q/{token}/{action}").status_code == 405


def test_a_link_opens_only_its_own_questionnaire(setup, token, django_capture_on_commit_callbacks):
    other = build_questionnaire(setup.programme, title="Institutional capacity-building needs")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        links.invitations_send(questionnaire=other, actor=setup.organiser, kinds=["government"])
    other_token = tokens_by_address()["karwan@moc.example"]
    mine = Client().get(f"/q/{token}/?lang=en").content.decode()
    theirs = Client().get(f"/q/{other_token}/?lang=en").content.decode()
    assert "ICT curriculum review" in mine and "Institutional capacity" not in mine
    assert "Institutional capacity" in theirs and "ICT curriculum review" not in theirs
    # Nothing in the request names another invitation: the body's extra fields are ignored.
    _save(token, {"practical": 5}, invitation=999, questionnaire=other.pk)
    _save(other_token, {"practical": 1})
    by_questionnaire = {r.questionnaire_id: r for r in QuestionnaireResponse.objects.all()}
    assert by_questionnaire[setup.questionnaire.pk].answers == {"practical": 5}
    assert by_questionnaire[setup.questionnaire.pk].stakeholder == setup.uni
    assert by_questionnaire[other.pk].answers == {"practical": 1}
    assert by_questionnaire[other.pk].stakeholder == setup.ministry


def test_the_page_shows_the_questionnaire_in_the_asked_language_right_to_left(token):
    html = Client().get(f"/q/{token}/?lang=ar").content.decode()
    assert 'lang="ar" dir="rtl"' in html and "لغات التدريس" in html and "Python (ar)" in html
    assert 'lang="ckb" dir="rtl"' in Client().get(f"/q/{token}/?lang=ckb").content.decode()
    html = Client().get(f"/q/{token}/?lang=lt").content.decode()
    assert 'lang="lt" dir="ltr"' in html and "IRT programų apžvalga" in html
    # An unknown language falls back to the invitation's (Arabic for Baghdad).
    assert 'lang="ar"' in Client().get(f"/q/{token}/?lang=xx").content.decode()


def test_the_language_of_the_answers_is_kept(token):
    _save(token, {"practical": 2}, language="ckb")
    assert _response().language == "ckb"


def test_skills_are_checked_against_the_taxonomy_through_the_hook(setup, token):
    assert answers.skill_slugs() >= {"python", "sql", "react"}


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert call().status_code == 200
    return len(captured.captured_queries)


def test_the_page_and_a_save_take_the_same_queries_however_long_the_questionnaire(setup, token):
    _save(token, {"practical": 1})  # the first save also creates the response
    page = _queries(lambda: Client().get(f"/q/{token}/"))
    save = _queries(lambda: _save(token, {"practical": 2}))
    section = QuestionnaireSection.objects.create(questionnaire=setup.questionnaire, position=2, title={"en": "More"})
    for n in range(20):
        Question.objects.create(
            questionnaire=setup.questionnaire, section=section, position=n, key=f"extra_{n}", kind="scale", text={}
        )
    assert _queries(lambda: Client().get(f"/q/{token}/")) == page
    assert _queries(lambda: _save(token, {"practical": 3})) == save
