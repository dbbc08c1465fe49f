"""A training's assessments in "download my data" and erasure (events/personal_data.py): the results about a
trainee are theirs and go with them; what a trainer recorded stays, without the trainer's name."""

from __future__ import annotations

from datetime import date

from checkin.models import FinalAssessment
from events import privacy
from matching.models import PracticalTaskScore, Skill, SkillAssessment
from tests.factories import EventFactory, RegistrationFactory, UserFactory


def test_erasure_takes_a_trainees_assessments_and_the_trainers_name_off_those_they_gave(db):
    training = EventFactory()
    trainer = UserFactory()
    trainee, other = RegistrationFactory(event=training), RegistrationFactory(event=training)
    skill = Skill.objects.create(slug="privacy-python", name="Python")
    for registration in (trainee, other):
        FinalAssessment.objects.create(registration=registration, passed=True, held_on=date(2026, 11, 1), by=trainer)
        SkillAssessment.objects.create(
            registration=registration, skill=skill, round="end", source="trainer", level=4, by=trainer
        )
        PracticalTaskScore.objects.create(
            registration=registration, round="end", task="API", score=8, max_score=10, by=trainer
        )

    privacy.person_erase(user=trainee.user, by=None)
    for model in (FinalAssessment, SkillAssessment, PracticalTaskScore):
        assert not model.objects.filter(registration=trainee).exists(), model
        assert model.objects.filter(registration=other).exists(), model

    privacy.person_erase(user=trainer, by=None)
    for model in (FinalAssessment, SkillAssessment, PracticalTaskScore):
        kept = model.objects.get(registration=other)
        assert kept.by_id is None, model
