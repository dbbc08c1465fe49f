"""Self-declared gender and city: optional on the registration form, kept only as the person gave them,
and shown in the indicators only as counts, small groups suppressed and no person named."""

from __future__ import annotations

import re

from django.test import Client

from events.models import Registration
from matching.indicators import programme_indicators
from tests.factories import EventFactory, RegistrationFactory, UserFactory

VALID = {"full_name": "Zahra Al-Tamimi", "email": "zahra@example.org", "role": "candidate", "language": "ar"}


def test_the_form_asks_for_neither_and_keeps_what_a_person_gave(db):
    event = EventFactory(slug="training")
    body = Client().get("/events/training/register/").content.decode()
    assert re.search(r'<select name="gender"[^>]*>', body) and "required" not in re.search(
        r'<select name="gender"[^>]*>', body
    ).group(0)
    assert 'name="city"' in body
    assert Client().post("/events/training/register/", VALID).status_code == 302
    assert Registration.objects.get(event=event).gender == ""
    second = {**VALID, "email": "noor@example.org", "gender": "woman", "city": "  Basra  "}
    assert Client().post("/events/training/register/", second).status_code == 302
    registration = Registration.objects.get(event=event, user__email="noor@example.org")
    assert (registration.gender, registration.city) == ("woman", "Basra")


def test_an_unknown_gender_is_a_form_error(db):
    EventFactory(slug="training")
    response = Client().post("/events/training/register/", {**VALID, "gender": "robot"})
    assert response.status_code == 200
    assert not Registration.objects.exists()


def _trainee(world, gender: str, city: str) -> None:
    RegistrationFactory(event=world.training, user=UserFactory(), gender=gender, city=city)


def test_breakdowns_count_only_what_people_gave_and_suppress_small_groups(world):
    for _ in range(6):
        _trainee(world, "woman", "Baghdad")
    _trainee(world, "man", "baghdad ")  # the same city, typed differently
    _trainee(world, "man", "Erbil")
    _trainee(world, "prefer_not", "")
    data = programme_indicators(programme=world.programme)
    genders = {g["value"]: g["count"] for g in data["breakdowns"]["gender"]}
    # The fixture's three trainees gave nothing.
    assert genders == {"woman": 6, "man": "<5", "another": 0, "prefer_not": "<5", "not_given": "<5"}
    cities = [(c["value"], c["count"]) for c in data["breakdowns"]["city"]]
    # Erbil's one trainee is not named: a small town's name would point at a person.
    assert cities == [("Baghdad", 7), ("(other)", "<5"), ("(not given)", "<5")]


def test_the_page_names_no_small_city_and_no_person(world):
    for _ in range(5):
        _trainee(world, "woman", "Baghdad")
    _trainee(world, "man", "Halabja")
    client = Client()
    client.force_login(world.organiser)
    body = client.get("/programmes/lt-iq/indicators").content.decode()
    assert "Baghdad" in body
    assert "Halabja" not in body
    assert "Trainee 0" not in body
    csv_body = client.get("/programmes/lt-iq/indicators.csv").content.decode("utf-8-sig")
    assert "gender,woman,5" in csv_body.replace("\r", "")
    assert "Halabja" not in csv_body


def test_erasing_a_person_blanks_what_they_said_and_the_count_follows(world, django_capture_on_commit_callbacks):
    from events import privacy

    people = [
        RegistrationFactory(event=world.training, user=UserFactory(), gender="woman", city="Basra") for _ in range(5)
    ]
    assert {c["value"]: c["count"] for c in programme_indicators(programme=world.programme)["breakdowns"]["city"]}[
        "Basra"
    ] == 5
    with django_capture_on_commit_callbacks(execute=True):
        privacy.person_erase(user=people[0].user, by=world.organiser)
    people[0].refresh_from_db()
    assert (people[0].gender, people[0].city) == ("", "")
    cities = {c["value"]: c["count"] for c in programme_indicators(programme=world.programme)["breakdowns"]["city"]}
    assert "Basra" not in cities  # four are too few to name
