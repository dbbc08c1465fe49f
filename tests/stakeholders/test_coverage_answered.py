"""The coverage view counts as "answered" the stakeholders with a submitted questionnaire response."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Questionnaire, QuestionnaireInvitation, QuestionnaireResponse
from events.stakeholder_selectors import coverage
from events.stakeholders import stakeholder_create


def _response(questionnaire, stakeholder, n, *, submitted):
    invitation = QuestionnaireInvitation.objects.create(
        questionnaire=questionnaire,
        stakeholder=stakeholder,
        token_hash=f"{n:064d}",
        expires_at=timezone.now() + timedelta(days=30),
    )
    return QuestionnaireResponse.objects.create(
        questionnaire=questionnaire,
        invitation=invitation,
        stakeholder=stakeholder,
        submitted_at=timezone.now() if submitted else None,
    )


def test_answered_counts_stakeholders_with_a_submitted_response_once(world):
    second = stakeholder_create(
        programme=world.programme,
        actor=world.organiser,
        data={"name": "University of Basra", "kind": "university", "country": "IQ"},
    )
    review = Questionnaire.objects.create(programme=world.programme, title={"en": "ICT curriculum review"})
    again = Questionnaire.objects.create(programme=world.programme, title={"en": "Follow-up review"})
    _response(review, world.uni, 1, submitted=True)
    _response(again, world.uni, 2, submitted=True)  # twice answered, counted once
    _response(review, second, 3, submitted=False)  # still in progress: not answered
    _response(review, world.ministry, 4, submitted=False)
    rows = {r["kind"]: r for r in coverage(programme=world.programme)}
    assert (rows["university"]["listed"], rows["university"]["answered"], rows["university"]["answered_percent"]) == (
        2,
        1,
        50,
    )
    assert rows["government"]["answered"] == 0
    client = Client()
    client.force_login(world.staff)
    html = client.get(reverse("stakeholders:coverage", args=[world.programme.slug])).content.decode()
    assert 'data-kind="university"' in html and '<td data-col="answered">1</td>' in html
