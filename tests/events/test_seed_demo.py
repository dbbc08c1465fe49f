"""seed_demo: a believable Lithuania–Iraq programme, fast, idempotent, and silent (no email)."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.management import call_command
from django.test import Client

from events.models import Event, Organisation, Registration, Room, Session, User

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = (Organisation, User, Event, Room, Session, Registration)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_seed_is_fast_idempotent_and_sends_no_email(mailoutbox):
    started = time.monotonic()
    first = seed()
    elapsed = time.monotonic() - started
    before = snapshot()
    updated = sorted(Session.objects.values_list("pk", "updated_at", "revision"))

    second = seed()

    assert elapsed < 5, f"seed_demo took {elapsed:.1f} s"
    assert "organiser@explorers.example / explorers-demo" in first
    assert "nothing changed" in second
    assert snapshot() == before
    assert sorted(Session.objects.values_list("pk", "updated_at", "revision")) == updated
    assert mailoutbox == []


def test_demo_accounts_log_in_organiser_into_the_admin():
    seed()
    organiser = Client()
    # Through the sign-in page, as a person would (django-axes wants the request of every password check).
    response = organiser.post("/me/sign-in/", {"username": "organiser@explorers.example", "password": "explorers-demo"})
    assert response.status_code == 302
    assert organiser.get("/admin/").status_code == 200

    staff = User.objects.get(email="staff@explorers.example")
    assert staff.check_password("explorers-demo")
    assert not staff.is_staff  # door staff scan tickets; they do not run the admin
    assert Registration.objects.filter(user=staff, role=Registration.Role.STAFF).count() == 3


def test_programme_has_a_job_fair_a_dialogue_and_a_months_long_training():
    seed()
    # The weeks-away fair (the other job fair is the one happening today, tests/events/test_demo_today.py).
    fair = Event.objects.get(kind=Event.Kind.JOB_FAIR, slug="digital-explorers-job-fair-baghdad")
    assert fair.status == Event.Status.PUBLISHED and fair.capacity
    assert fair.timezone == "Asia/Baghdad"
    assert fair.rooms.count() >= 3
    assert fair.sessions.filter(kind=Session.Kind.BOOTH).exists()
    assert fair.sessions.filter(kind=Session.Kind.TALK).exists()

    dialogue = Event.objects.get(kind=Event.Kind.DIALOGUE)
    officials = dialogue.registrations.filter(role=Registration.Role.OFFICIAL)
    assert set(officials.values_list("delegation", flat=True)) == {"LT", "IQ"}
    assert dialogue.sessions.filter(audience=Session.Audience.OFFICIALS, kind=Session.Kind.BILATERAL).count() >= 4

    training = Event.objects.get(kind=Event.Kind.TRAINING)
    first, last = training.sessions.first(), training.sessions.last()
    assert 4 * 30 <= (last.starts_at - first.starts_at).days <= 6 * 31
    assert training.registrations.filter(status=Registration.Status.WAITLISTED).exists()
    seated = training.registrations.filter(status=Registration.Status.REGISTERED).count()
    assert seated == training.capacity

    employer_countries = set(
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).values_list("country", flat=True)
    )
    assert {"LT", "IQ"} <= employer_countries
    candidates = User.objects.filter(registrations__event=fair, registrations__role=Registration.Role.CANDIDATE)
    assert candidates.count() >= 20
    assert sum(bool(re.search("[\u0600-\u06ff]", u.full_name)) for u in candidates) >= 15


def test_organisers_group_lets_a_staff_member_run_the_admin():
    from django.contrib.auth.models import Group

    seed()
    colleague = User.objects.create_user(email="colleague@explorers.example", password="pw-12345-long", is_staff=True)
    colleague.groups.add(Group.objects.get(name="Organisers"))
    client = Client()
    client.force_login(colleague)

    assert client.get("/admin/events/registration/").status_code == 200
    assert client.get("/admin/events/event/").status_code == 200
