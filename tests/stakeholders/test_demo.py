"""The demo programme's needs assessment (`seed_needs_assessment`, run by `make run` after seed_programme):
about thirty stakeholders of every type in four cities, with consented contacts, a log with overdue
follow-ups and some on the demo organiser's day, both questionnaires sent and about twenty answers;
running it twice adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import (
    FollowUp,
    Interaction,
    Questionnaire,
    QuestionnaireInvitation,
    QuestionnaireResponse,
    Stakeholder,
    StakeholderContact,
    User,
)
from events.stakeholder_selectors import attended_events, open_follow_ups_for


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Stakeholder,
            StakeholderContact,
            Interaction,
            FollowUp,
            Questionnaire,
            QuestionnaireInvitation,
            QuestionnaireResponse,
        )
    }


@pytest.fixture
def demo(db):
    for command in ("seed_demo", "dialogue_demo", "seed_programme", "seed_needs_assessment"):
        call_command(command, stdout=io.StringIO())


def test_the_demo_has_a_directory_of_every_type_in_four_cities_with_a_log(demo):
    stakeholders = Stakeholder.objects.filter(programme__slug="digital-explorers-iraq")
    assert 28 <= stakeholders.count() <= 32
    assert set(stakeholders.values_list("kind", flat=True)) == {k for k, _ in Stakeholder.Kind.choices}
    assert set(stakeholders.values_list("city", flat=True)) == {"Baghdad", "Erbil", "Basra", "Vilnius"}
    contacts = StakeholderContact.objects.filter(stakeholder__in=stakeholders)
    assert not contacts.filter(consent_basis="").exists()
    assert set(stakeholders.values_list("pk", flat=True)) == set(contacts.values_list("stakeholder_id", flat=True))
    today = timezone.localdate()
    open_ones = FollowUp.objects.filter(stakeholder__in=stakeholders, done_at__isnull=True)
    assert open_ones.filter(due_on__lt=today).exists() and open_ones.filter(due_on__gte=today).exists()
    organiser = User.objects.get(email="organiser@explorers.example")
    assert open_follow_ups_for(user=organiser).count() >= 5  # on his "my day"
    assert stakeholders.filter(interactions__isnull=True).exists()  # some never contacted yet
    # The ministry's people registered for the programme's events: on its timeline by themselves.
    assert attended_events(stakeholder=stakeholders.get(name="Ministry of Communications"))


def test_both_questionnaires_are_sent_and_about_twenty_answered(demo):
    questionnaires = Questionnaire.objects.filter(programme__slug="digital-explorers-iraq")
    assert set(questionnaires.values_list("template", flat=True)) == {"ict_curriculum_review", "institutional_capacity"}
    assert all(q.status == "open" and q.invitations.exists() for q in questionnaires)
    submitted = QuestionnaireResponse.objects.filter(submitted_at__isnull=False)
    assert 18 <= submitted.count() <= 22
    taught = submitted.filter(questionnaire__template="ict_curriculum_review")
    needed = submitted.filter(questionnaire__template="institutional_capacity")
    assert taught.exists() and needed.exists()
    assert set(taught.values_list("stakeholder__kind", flat=True)) <= {"university", "training_provider"}
    assert set(needed.values_list("stakeholder__kind", flat=True)) == {"government"}
    assert all(r.answers.get("skills_taught") for r in taught)
    assert all(r.answers.get("staff_skills") for r in needed)


def test_running_it_again_adds_nothing(demo):
    before = _counts()
    call_command("seed_programme", stdout=io.StringIO())
    call_command("seed_needs_assessment", stdout=io.StringIO())
    assert _counts() == before
