"""A person's outcomes in "download my data", and what erasure leaves of them."""

from __future__ import annotations

import json

import pytest

from events.personal_data import personal_data_export
from events.privacy import person_erase
from matching.outcome_models import Outcome, OutcomeChange
from matching.outcomes import outcome_answer, outcome_counts, outcome_record

pytestmark = pytest.mark.django_db


def test_outcomes_are_exported_and_erasure_drops_the_notes_but_keeps_the_counts(actors):
    outcome = outcome_record(
        event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="offer",
        offer_kind="job", offer_country="LT", work_mode="remote", note="Zainab Candidate was excellent",
    )  # fmt: skip
    outcome_answer(outcome_id=outcome.pk, actor=actors.candidate, stage="offer", happened=True, note="Thanks!")
    exported = json.dumps(personal_data_export(user=actors.candidate), default=str)
    assert "Zainab Candidate was excellent" in exported and "Thanks!" in exported
    assert "matching.Outcome" in exported and "matching.OutcomeChange" in exported

    person_erase(user=actors.candidate, by=actors.organiser)
    assert set(OutcomeChange.objects.values_list("note", flat=True)) == {""}
    assert Outcome.objects.get().stage == "offer"
    assert outcome_counts(events=[actors.event])["placements"] == 0
    assert outcome_counts(events=[actors.event])["offers"] == 1


def test_erasing_an_employer_keeps_their_outcomes_unsigned(actors):
    outcome_record(
        event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="invited",
        note="Aistė Employer will call",
    )  # fmt: skip
    person_erase(user=actors.employer_a, by=actors.organiser)
    change = OutcomeChange.objects.get()
    assert change.actor is None and "Aistė Employer" not in change.note
    assert Outcome.objects.get().organisation == actors.org_a
