"""Two people adding a question with the same key at the same moment: one is added, the other is told
the key is taken (a 409 or a form error), never a 500."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from events import questionnaires as svc
from events.exceptions import EventsError
from events.models import Question
from tests.questionnaires import builder_setup
from tests.questionnaires.builder_setup import en

world = builder_setup.world  # the fixture
DATE = {"key": "started", "kind": "date", "text": en("When did you start?")}


def _section(world):
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body={"title": en("S")})
    return svc.section_add(questionnaire=q, actor=world.organiser, data={"title": en("A")})


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_adds_of_one_key_add_one_and_refuse_the_other(world):
    section = _section(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(actor):
        try:
            barrier.wait()
            svc.question_add(section=section, actor=actor, data=DATE)
            outcomes.append("added")
        except EventsError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # an IntegrityError or "database is locked" would be a 500
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(who,)) for who in (world.organiser, world.staff)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["added", "duplicate_key"]
    assert Question.objects.filter(key="started").count() == 1


@pytest.mark.django_db
def test_the_constraint_hit_is_the_duplicate_key_error_on_the_page_too(world, monkeypatch, client):
    section = _section(world)
    svc.question_add(section=section, actor=world.organiser, data=DATE)
    # The moment of a race: the check saw no such key, and the other insert is already there.
    monkeypatch.setattr(svc, "check_structure", lambda questions: None)
    with pytest.raises(EventsError) as caught:
        svc.question_add(section=section, actor=world.staff, data=DATE)
    assert (caught.value.code, caught.value.status) == ("duplicate_key", 409)
    client.force_login(world.staff)
    prefix = f"q{section.pk}-"
    page = client.post(
        f"/programmes/lt-iq/questionnaires/{section.questionnaire_id}/sections/{section.pk}/questions",
        {prefix + "key": "started", prefix + "kind": "date", prefix + "text_en": "Again?"},
    )
    assert page.status_code == 409 and "Another question has the key started" in page.content.decode()
    assert Question.objects.filter(key="started").count() == 1
