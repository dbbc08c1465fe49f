"""The boards' roster: every candidate's scoring data read once per event, kept until something changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import board
from matching.models import CandidateSkill, Skill
from realtime import generations
from tests.matching.fair_setup import _fresh_index, add_candidate, build_fair, checkin_info, set_inside  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

CANDIDATE_TABLES = ("matching_candidateprofile", "matching_candidateskill", "events_registration", "events_user")


def _fair_under_way(actors):
    build_fair(actors)
    board.index_for(actors.event)
    second = add_candidate(actors.event, "second@example.org", {"python": 5}, languages={"en": 5})
    for user in (actors.candidate, second):
        set_inside(actors.event, user)
    board.on_checkin_infos([checkin_info(actors.event, actors.candidate, inside=True)])  # reads the roster
    return second


def test_an_arrival_the_roster_knows_costs_no_query_about_the_person(actors):
    second = _fair_under_way(actors)
    info = checkin_info(actors.event, second, inside=True)
    with CaptureQueriesContext(connection) as queries:
        board.on_checkin_infos([info])
    read = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in CANDIDATE_TABLES)]
    assert read == []
    assert second.pk in board.index_for(actors.event, sync=False).present


def test_a_profile_changed_anywhere_reaches_the_next_arrival(actors):
    second = _fair_under_way(actors)
    assert board.roster._rosters[actors.event.pk].people[second.pk].skills[Skill.objects.get(slug="python").pk] == 5
    # An edit the services do not see (the admin, an import): the model signal bumps the counter.
    CandidateSkill.objects.filter(profile__user=second, skill__slug="python").update(level=2)
    CandidateSkill.objects.get(profile__user=second, skill__slug="python").save()
    board.on_checkin_infos([checkin_info(actors.event, second, inside=True)])
    assert board.roster._rosters[actors.event.pk].people[second.pk].skills[Skill.objects.get(slug="python").pk] == 2


def test_a_renamed_candidate_is_named_anew_once_the_roster_is_read_again(actors, monkeypatch):
    second = _fair_under_way(actors)
    roster = board.roster._rosters[actors.event.pk]
    assert roster.names[second.pk] == "Second"
    second.full_name = "Sara Second"
    second.save()
    monkeypatch.setattr(board.roster, "ROSTER_RELOAD_EVERY", 0.0)
    board.on_checkin_infos([checkin_info(actors.event, actors.candidate, inside=True)])
    assert board.roster._rosters[actors.event.pk].names[second.pk] == "Sara Second"


def test_signing_in_does_not_make_every_process_read_its_roster_again(actors):
    from django.contrib.auth.models import update_last_login

    before = generations.read("matching:roster:v")
    update_last_login(None, actors.candidate)  # what Django does at every sign-in
    assert generations.read("matching:roster:v") == before
    actors.candidate.full_name = "Zainab C."
    actors.candidate.save()
    assert generations.read("matching:roster:v") != before
