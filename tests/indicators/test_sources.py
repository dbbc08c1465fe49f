"""The figures other parts keep: completion with the final assessment, certificates, outcomes after the fair."""

from __future__ import annotations

from django.utils import timezone

from checkin.final_assessment import final_assessment_record
from events.models import Registration
from matching import certificates, outcomes
from matching.indicators import programme_indicators
from tests.factories import RegistrationFactory, UserFactory


def test_completing_needs_the_final_assessment_and_a_certificate_counts_until_revoked(world):
    assert programme_indicators(programme=world.programme)["completed"] == 0  # the final assessment is still due
    assert programme_indicators(programme=world.programme)["certified"] == 0
    final_assessment_record(
        registration=world.trainees[0], passed=True, held_on=timezone.localdate(), by=world.organiser
    )
    assert programme_indicators(programme=world.programme)["completed"] == 1
    certificate, _new = certificates.certificate_issue(registration=world.trainees[0], by=world.organiser)
    assert programme_indicators(programme=world.programme)["certified"] == 1
    certificates.certificate_revoke(certificate=certificate, by=world.organiser, reason="Issued by mistake")
    assert programme_indicators(programme=world.programme)["certified"] == 0


def test_interviews_offers_and_placements_by_type_and_country(world):
    organisation = world.fair.meetings.first().organisation
    recruiter = UserFactory(full_name="Rasa Recruiter")
    RegistrationFactory(event=world.fair, user=recruiter, role=Registration.Role.EMPLOYER, organisation=organisation)
    met_one, met_two = (m.candidate for m in world.fair.meetings.order_by("slot")[:2])
    data = programme_indicators(programme=world.programme)
    assert (data["interviews"], data["offers"], data["placements"]["total"]) == (0, 0, 0)
    outcomes.outcome_record(event=world.fair, actor=recruiter, candidate_id=met_one.pk, stage="interviewed")
    outcomes.outcome_record(event=world.fair, actor=recruiter, candidate_id=met_two.pk, stage="offer",
                            offer_kind="job", offer_country="LT", work_mode="remote")  # fmt: skip
    outcomes.outcome_record(event=world.fair, actor=recruiter, candidate_id=met_two.pk, stage="accepted")
    data = programme_indicators(programme=world.programme)
    assert data["interviews"] == 2  # an offer dates its interview too
    assert data["offers"] == 1
    assert data["placements"]["total"] == 1
    assert {p["key"]: p["count"] for p in data["placements"]["by_type"]} == {"internship": 0, "job": 1}
    assert data["placements"]["by_country"] == [{"key": "LT", "label": "LT", "count": 1}]


def test_without_a_fair_or_a_training_those_figures_are_not_recorded(world):
    world.fair.programme = None
    world.fair.save()
    world.training.programme = None
    world.training.save()
    data = programme_indicators(programme=world.programme)
    assert data["interviews"] is None and data["offers"] is None and data["placements"] is None
    assert data["certified"] is None
    assert data["enrolled"] == 0
