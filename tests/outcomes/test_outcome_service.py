"""Outcomes through their one service: transitions, audit, candidate answers, bad input, counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.exceptions import InvalidTransition
from events.models import Membership, Registration
from matching import exceptions as exc
from matching.models import Lead, Meeting
from matching.outcome_models import Outcome, OutcomeChange
from matching.outcomes import TRANSITIONS, outcome_answer, outcome_counts, outcome_record, transition_refusal
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFER = {"offer_kind": "job", "offer_country": "lt", "work_mode": "remote"}


def test_offer_recorded_straight_away_dates_the_stages_before_it_and_is_audited(actors):
    when = timezone.now() - timedelta(days=3)
    outcome = outcome_record(
        event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="offer",
        note="Backend developer", now=when, **OFFER,
    )  # fmt: skip
    outcome.refresh_from_db()
    assert (outcome.stage, outcome.offer_kind, outcome.offer_country, outcome.work_mode) == (
        "offer",
        "job",
        "LT",
        "remote",
    )
    assert outcome.organisation == actors.org_a
    assert outcome.invited_at == outcome.interviewed_at == outcome.offer_at == when
    assert outcome.accepted_at is None
    change = OutcomeChange.objects.get(outcome=outcome)
    assert (change.actor, change.at, change.from_stage, change.to_stage, change.note) == (
        actors.employer_a,
        when,
        "",
        "offer",
        "Backend developer",
    )


def test_every_stage_moves_only_along_the_table():
    for current, allowed in TRANSITIONS.items():
        for new in Outcome.Stage.values:
            refused = transition_refusal(current=current, new=new)
            assert (refused is None) == (new in allowed), (current, new)
    assert transition_refusal(current=None, new="accepted") is not None
    assert transition_refusal(current=None, new="invited") is None


def test_an_invalid_transition_is_refused_and_nothing_is_written(actors):
    record = {"event": actors.event, "actor": actors.employer_a, "candidate_id": actors.candidate.pk}
    with pytest.raises(InvalidTransition) as refused:
        outcome_record(stage="accepted", **record)
    assert refused.value.status == 409 and refused.value.code == "invalid_transition"
    outcome_record(stage="invited", **record)
    outcome_record(stage="declined", note="Took another job", **record)
    with pytest.raises(InvalidTransition, match="closed"):
        outcome_record(stage="interviewed", **record)
    outcome = Outcome.objects.get()
    assert outcome.stage == "declined"
    assert list(outcome.changes.values_list("from_stage", "to_stage")) == [("", "invited"), ("invited", "declined")]


@pytest.mark.parametrize(
    "fields",
    [
        {"stage": "hired"},
        {"stage": "offer"},
        {"stage": "offer", "offer_kind": "gig", "offer_country": "LT", "work_mode": "remote"},
        {"stage": "offer", "offer_kind": "job", "offer_country": "Lithuania", "work_mode": "remote"},
        {"stage": "offer", "offer_kind": "job", "offer_country": "LT", "work_mode": "hybrid"},
        {"stage": "invited", "note": "x" * 1001},
    ],
)
def test_bad_input_is_a_clear_422(actors, fields):
    with pytest.raises(exc.InvalidInput) as refused:
        outcome_record(event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, **fields)
    assert refused.value.status == 422 and refused.value.message
    assert not Outcome.objects.exists()


def test_only_granted_employers_record_and_only_for_people_they_could_meet(actors):
    for who in (actors.candidate, actors.official, actors.outsider, actors.organiser):
        with pytest.raises(exc.NotAllowed):
            outcome_record(event=actors.event, actor=who, candidate_id=actors.candidate.pk, stage="invited")
    Membership.objects.filter(user=actors.employer_a).update(status=Membership.Status.PENDING)
    with pytest.raises(exc.MembershipRequired):
        outcome_record(event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="invited")
    # Somebody who never consented and never met employer B is "not found", like nobody at all.
    stranger = UserFactory()
    RegistrationFactory(event=actors.event, user=stranger, role=Registration.Role.CANDIDATE)
    for candidate_id in (stranger.pk, 10**12):
        with pytest.raises(exc.NotFound):
            outcome_record(event=actors.event, actor=actors.employer_b, candidate_id=candidate_id, stage="invited")
    # Met at the booth (a lead): the employer records the outcome even without consent.
    Lead.objects.create(event=actors.event, organisation=actors.org_b, candidate=stranger)
    outcome_record(event=actors.event, actor=actors.employer_b, candidate_id=stranger.pk, stage="invited")
    assert not Outcome.objects.filter(organisation=actors.org_a).exists()


def test_candidate_confirms_or_says_not_correct_about_the_stage_they_saw(actors):
    outcome = outcome_record(
        event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="offer", **OFFER
    )
    with pytest.raises(exc.NotFound):
        outcome_answer(outcome_id=outcome.pk, actor=actors.employer_b, stage="offer", happened=True)
    with pytest.raises(exc.NotFound):
        outcome_answer(outcome_id=outcome.pk, actor=actors.employer_a, stage="offer", happened=True)
    with pytest.raises(exc.MatchingError) as changed:
        outcome_answer(outcome_id=outcome.pk, actor=actors.candidate, stage="interviewed", happened=True)
    assert (changed.value.code, changed.value.status) == ("outcome_changed", 409)
    outcome_answer(outcome_id=outcome.pk, actor=actors.candidate, stage="offer", happened=True)
    outcome_answer(outcome_id=outcome.pk, actor=actors.candidate, stage="offer", happened=True)  # a double tap
    outcome.refresh_from_db()
    assert outcome.confirmation == "confirmed"
    assert list(outcome.changes.values_list("kind", "actor_id")) == [
        ("stage", actors.employer_a.pk),
        ("confirmed", actors.candidate.pk),
    ]
    # A new stage asks again.
    outcome_record(event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="accepted")
    outcome.refresh_from_db()
    assert outcome.confirmation == "pending"
    outcome_answer(outcome_id=outcome.pk, actor=actors.candidate, stage="accepted", happened=False, note="I said no")
    outcome.refresh_from_db()
    assert outcome.confirmation == "disputed"
    assert outcome.changes.last().note == "I said no"


def test_outcome_counts_on_a_known_set(actors):
    event = actors.event
    others = [UserFactory() for _ in range(4)]
    for person in others:
        RegistrationFactory(event=event, user=person, role=Registration.Role.CANDIDATE, consent_share_profile=True)
    a, b = actors.employer_a, actors.employer_b

    def rec(actor, person, *stages, **offer):
        for stage in stages:
            outcome_record(
                event=event, actor=actor, candidate_id=person.pk, stage=stage, **(offer if stage == "offer" else {})
            )

    rec(a, actors.candidate, "offer", "accepted", "started", offer_kind="job", offer_country="LT", work_mode="on_site")
    rec(b, actors.candidate, "invited", "declined")
    rec(
        a,
        others[0],
        "interviewed",
        "offer",
        "accepted",
        offer_kind="internship",
        offer_country="iq",
        work_mode="remote",
    )
    rec(b, others[1], "interviewed", "offer", "declined", offer_kind="job", offer_country="IQ", work_mode="remote")
    rec(a, others[2], "invited")
    disputed = outcome_record(event=event, actor=b, candidate_id=others[3].pk, stage="interviewed")
    outcome_answer(outcome_id=disputed.pk, actor=others[3], stage="interviewed", happened=False)
    started = Outcome.objects.get(candidate=actors.candidate, organisation=actors.org_a)
    outcome_answer(outcome_id=started.pk, actor=actors.candidate, stage="started", happened=True)
    # Met at a meeting that took place, without any outcome; another event's outcomes do not count.
    met = UserFactory()
    Meeting.objects.create(
        event=event, organisation=actors.org_a, candidate=met, slot=1, starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(minutes=10), status=Meeting.Status.CONFIRMED,
    )  # fmt: skip
    other_event = EventFactory()
    RegistrationFactory(event=other_event, user=a, role=Registration.Role.EMPLOYER, organisation=actors.org_a)
    RegistrationFactory(event=other_event, user=others[0], role=Registration.Role.CANDIDATE, consent_share_profile=True)
    outcome_record(event=other_event, actor=a, candidate_id=others[0].pk, stage="offer", **OFFER)
    counts = outcome_counts(events=[event])
    assert counts == {
        "outcomes": 5,
        "candidates_with_outcome": 4,
        "interview_invitations": 5,
        "interviews": 3,
        "offers": 3,
        "offers_by_type": {"internship": 1, "job": 2},
        "placements": 2,
        "candidates_placed": 2,
        "placements_by_type": {"internship": 1, "job": 1},
        "placements_by_country": {"IQ": 1, "LT": 1},
        "placements_by_mode": {"on_site": 1, "remote": 1},
        "started": 1,
        "declined": 2,
        "confirmed_placements": 1,
        "disputed": 1,
        "met_employer": 5,
    }
    assert outcome_counts(events=[other_event.pk])["outcomes"] == 1
    assert outcome_counts(events=[event, other_event.pk])["offers"] == 4
    assert outcome_counts(events=[])["met_employer"] == 0
