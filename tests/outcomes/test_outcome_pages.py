"""The outcome pages: who sees what (least privilege), recording and answering, refusals as 4xx."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import Membership, Registration
from matching.outcome_models import Outcome, OutcomeChange
from matching.outcomes import outcome_record
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFER = {"offer_kind": "internship", "offer_country": "LT", "work_mode": "on_site"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(actors) -> str:
    return f"/matching/{actors.event.slug}/outcomes/"


def _mine(actors) -> str:
    return f"/matching/{actors.event.slug}/my-outcomes/"


@pytest.fixture
def recorded(actors):
    """The candidate has an offer from employer A and an interview invitation from employer B."""
    a = outcome_record(
        event=actors.event, actor=actors.employer_a, candidate_id=actors.candidate.pk, stage="offer", **OFFER
    )
    b = outcome_record(
        event=actors.event, actor=actors.employer_b, candidate_id=actors.candidate.pk, stage="invited", note="B-NOTE"
    )
    return a, b


def _list(response) -> str:
    """The page's list of outcomes (the form above it names every stage)."""
    return response.content.decode().split("<h2")[-1]


def test_each_reader_sees_only_what_is_theirs(actors, recorded):
    a_page = _list(_client(actors.employer_a).get(_page(actors)))
    assert "Zainab Candidate" in a_page and "Offer made" in a_page and "Internship" in a_page
    assert "Invited to an interview" not in a_page and "B-NOTE" not in a_page
    b_page = _list(_client(actors.employer_b).get(_page(actors)))
    assert "Invited to an interview" in b_page and "B-NOTE" in b_page
    assert "Offer made" not in b_page and "Internship" not in b_page
    organiser_page = _client(actors.organiser).get(_page(actors)).content.decode()
    assert "Offer made" in organiser_page and "Invited to an interview" in organiser_page
    assert 'id="outcome-form"' not in organiser_page
    mine = _client(actors.candidate).get(_mine(actors)).content.decode()
    assert "Baltic Code UAB" in mine and "Tigris Tech" in mine and "Did this happen?" in mine
    # The candidate on the employers' page goes to their own; others learn nothing.
    assert _client(actors.candidate).get(_page(actors)).status_code == 302
    for who in (actors.outsider, actors.official):
        assert _client(who).get(_page(actors)).status_code == 404
        assert "Baltic" not in _client(who).get(_mine(actors)).content.decode()
    assert Client().get(_page(actors)).status_code == 302  # to sign in


def test_a_member_waiting_for_approval_sees_the_waiting_page(actors, recorded):
    Membership.objects.filter(user=actors.employer_a).update(status=Membership.Status.PENDING)
    response = _client(actors.employer_a).get(_page(actors))
    assert response.status_code == 403 and "Offer made" not in response.content.decode()
    assert _client(actors.employer_a).post(_page(actors), {"candidate": actors.candidate.pk}).status_code == 403


def test_employer_records_from_the_page_and_an_invalid_step_is_a_409(actors):
    client = _client(actors.employer_a)
    form = client.get(_page(actors) + f"?candidate={actors.candidate.pk}").content.decode()
    assert f'<option value="{actors.candidate.pk}" selected>' in form
    response = client.post(_page(actors), {"candidate": actors.candidate.pk, "stage": "offer", **OFFER})
    assert response.status_code == 302
    assert Outcome.objects.get().stage == "offer"
    response = client.post(_page(actors), {"candidate": actors.candidate.pk, "stage": "invited"})
    assert response.status_code == 409
    assert "An outcome moves from invited" in response.content.decode()
    assert Outcome.objects.get().stage == "offer" and OutcomeChange.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"candidate": "abc", "stage": "offer"},
        {"candidate": "99999999999999999999", "stage": "invited"},
        {"candidate": "CANDIDATE", "stage": "hired"},
        {"candidate": "CANDIDATE", "stage": "offer", "offer_kind": "job", "offer_country": "L", "work_mode": "remote"},
        {"candidate": "CANDIDATE", "stage": "offer", "offer_kind": "job", "offer_country": "12", "work_mode": "x"},
        {"candidate": "CANDIDATE", "stage": "offer"},
        {"candidate": "CANDIDATE", "stage": "invited", "note": "x" * 1001},
    ],
)
def test_bad_input_on_the_employer_page_is_a_422_and_saves_nothing(actors, data):
    data = {k: (str(actors.candidate.pk) if v == "CANDIDATE" else v) for k, v in data.items()}
    response = _client(actors.employer_a).post(_page(actors), data)
    assert response.status_code == 422
    assert not Outcome.objects.exists()


def test_an_employer_cannot_record_for_someone_who_does_not_share_their_profile(actors):
    stranger = UserFactory()
    RegistrationFactory(event=actors.event, user=stranger, role=Registration.Role.CANDIDATE)
    response = _client(actors.employer_a).post(_page(actors), {"candidate": stranger.pk, "stage": "invited"})
    assert response.status_code == 422  # not among the choices: the form says so, and names nobody
    assert not Outcome.objects.exists()


def test_candidate_confirms_and_says_not_correct(actors, recorded):
    offer, invited = recorded
    client = _client(actors.candidate)
    response = client.post(_mine(actors), {"outcome": offer.pk, "stage": "offer", "happened": "yes"})
    assert response.status_code == 302
    response = client.post(_mine(actors), {"outcome": invited.pk, "stage": "invited", "happened": "no", "note": "No"})
    assert response.status_code == 302
    offer.refresh_from_db()
    invited.refresh_from_db()
    assert (offer.confirmation, invited.confirmation) == ("confirmed", "disputed")
    page = client.get(_mine(actors)).content.decode()
    assert "Confirmed by the candidate" in page and "The candidate says this is not correct" in page
    # The employer sees the answer on its own page.
    assert "Confirmed by the candidate" in _client(actors.employer_a).get(_page(actors)).content.decode()


def test_candidate_answers_refused_with_4xx(actors, recorded):
    offer, _ = recorded
    client = _client(actors.candidate)
    stale = client.post(_mine(actors), {"outcome": offer.pk, "stage": "interviewed", "happened": "yes"})
    assert stale.status_code == 409 and "changed this outcome" in stale.content.decode()
    for data in ({}, {"outcome": "x", "stage": "offer", "happened": "yes"}, {"outcome": offer.pk, "stage": "offer"}):
        assert client.post(_mine(actors), data).status_code == 422
    # Somebody else's outcome is "not found", answered by nobody.
    assert (
        _client(actors.employer_b)
        .post(_mine(actors), {"outcome": offer.pk, "stage": "offer", "happened": "yes"})
        .status_code
        == 404
    )
    offer.refresh_from_db()
    assert offer.confirmation == "pending"


def test_outcome_pages_exist_only_for_job_fairs(actors):
    training = EventFactory(slug="training", kind="training")
    assert _client(actors.organiser).get("/matching/training/outcomes/").status_code == 404
    assert _client(actors.candidate).get("/matching/training/my-outcomes/").status_code == 404
    assert _client(actors.candidate).get("/matching/no-such-fair/my-outcomes/").status_code == 404
    assert training.pk


def test_entry_points_link_the_pages(actors):
    from tests.matching.fair_setup import build_fair

    build_fair(actors)
    board = _client(actors.employer_a).get(f"/matching/{actors.event.slug}/board/").content.decode()
    assert f'href="{_page(actors)}"' in board
    me = _client(actors.candidate).get(f"/matching/{actors.event.slug}/me/").content.decode()
    assert f'href="{_mine(actors)}"' in me
    lead = _client(actors.employer_a).get(f"/matching/{actors.event.slug}/leads/{actors.candidate.pk}/")
    assert f'href="{_page(actors)}?candidate={actors.candidate.pk}"' in lead.content.decode()
