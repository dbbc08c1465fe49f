"""Two people adding the same organisation at the same moment: one is added, the other is told it is
already in the directory (a 409 or a form error), never a 500."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from events import stakeholders as services
from events.exceptions import EventsError
from events.models import Stakeholder

NEW = {"name": "Basra Tech Hub", "kind": "tech_hub", "country": "IQ", "city": "Basra"}


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_add_one_and_refuse_the_other_as_exists(world):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(actor):
        try:
            barrier.wait()
            services.stakeholder_create(programme=world.programme, actor=actor, data=NEW)
            outcomes.append("created")
        except EventsError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # an IntegrityError here was the 500
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(who,)) for who in (world.organiser, world.staff)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "exists"]
    assert Stakeholder.objects.filter(name="Basra Tech Hub").count() == 1


@pytest.fixture
def check_missed(monkeypatch):
    """The moment of the race: the check saw nothing, and the other insert lands before ours."""
    monkeypatch.setattr(services, "_listed_already", lambda stakeholder: False)


def test_the_constraint_hit_is_the_exists_error_and_the_transaction_goes_on(world, check_missed):
    services.stakeholder_create(programme=world.programme, actor=world.organiser, data=NEW)
    with transaction.atomic():
        with pytest.raises(EventsError) as caught:
            services.stakeholder_create(programme=world.programme, actor=world.staff, data=NEW)
        assert (caught.value.code, caught.value.status) == ("exists", 409)
        # The refused insert rolled back to its savepoint: the surrounding transaction still works.
        assert Stakeholder.objects.filter(name="Basra Tech Hub").count() == 1


def test_the_race_through_the_api_is_a_409_and_through_the_page_a_form_error(world, check_missed, as_, client):
    services.stakeholder_create(programme=world.programme, actor=world.organiser, data=NEW)
    answer = as_(world.staff).post("/api/v1/programmes/lt-iq/stakeholders", NEW)
    assert answer.status_code == 409 and answer.json()["reason"] == "exists"
    client.force_login(world.staff)
    page = client.post("/programmes/lt-iq/stakeholders/add", NEW)
    assert page.status_code == 422
    assert "already in the directory" in page.content.decode()


def test_renaming_into_an_existing_name_is_the_exists_error_too(world, check_missed):
    with pytest.raises(EventsError) as caught:
        services.stakeholder_update(
            stakeholder=world.ministry, actor=world.staff, data={"name": "University of Baghdad"}
        )
    assert caught.value.code == "exists"
