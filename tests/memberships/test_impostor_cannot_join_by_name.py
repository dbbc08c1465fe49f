"""Attack 2 of issue 11: self-register as an employer naming an existing organisation (any case).

Before, that joined the organisation: its leads CSV (notes, ratings, candidates' emails), meetings,
requests, board and the consenting candidates' CVs, and its meetings landed in the impostor's
calendar feed. Now naming it only asks to join, and nothing of it opens until somebody grants that.
"""

from __future__ import annotations

from django.core import mail

from events.models import Membership, Registration, User
from tests.memberships.conftest import NOTE, feed_meeting_uids

FORM = {
    "full_name": "Ivan Impostor",
    "email": "ivan@impostor.example",
    "role": "employer",
    "organisation_name": "BALTIC CODE uab",
    "language": "en",
}


def _register_as_impostor(client) -> User:
    r = client.post("/events/job-fair/register/", FORM)
    assert r.status_code in (200, 302), r.status_code
    impostor = User.objects.get(email="ivan@impostor.example")
    # The impostor owns this address, so they can follow any link sent to it: sign them in.
    client.force_login(impostor)
    return impostor


def test_self_registering_with_an_organisations_name_opens_none_of_its_data(world, client):
    impostor = _register_as_impostor(client)
    registration = Registration.objects.get(event=world.event, user=impostor)
    assert registration.role == Registration.Role.EMPLOYER
    # Whatever the form did with the name, no granted membership came of it.
    assert not Membership.objects.filter(user=impostor, status=Membership.Status.GRANTED).exists()

    board = client.get("/matching/job-fair/board/")
    assert board.status_code in (403, 404) and "Python backend developer" not in board.content.decode()
    fragment = client.get("/matching/job-fair/board/fragment/")
    assert fragment.status_code in (403, 404)
    csv = client.get("/matching/job-fair/leads.csv")
    assert csv.status_code in (403, 404)
    assert NOTE not in csv.content.decode() and world.candidate.email not in csv.content.decode()
    assert client.get(f"/matching/cv/{world.candidate.pk}/").status_code == 404

    api = "/api/v1/matching/events/job-fair"
    for path in ("/board", "/leads", "/meetings", "/requests", f"/candidates/{world.candidate.pk}"):
        r = client.get(api + path)
        assert r.status_code in (403, 404), path
        assert "Zainab" not in r.content.decode() and NOTE not in r.content.decode(), path
    r = client.post(f"{api}/requests", {"candidate_id": world.candidate.pk}, "application/json")
    assert r.status_code in (403, 404)

    # The real member's meetings stay out of the impostor's calendar feed.
    real = feed_meeting_uids(client, world.actors.employer_a)
    assert real and not real & feed_meeting_uids(client, impostor)
    # And nobody told the impostor anything about the organisation by email either.
    assert all(NOTE not in m.body and world.candidate.email not in m.body for m in mail.outbox)


def test_an_impostors_request_waits_for_an_organiser_who_can_refuse_it(world, client):
    impostor = _register_as_impostor(client)
    registration = Registration.objects.get(event=world.event, user=impostor)
    membership = Membership.objects.get(user=impostor, organisation=world.org_a)
    assert (registration.organisation, membership.status) == (world.org_a, Membership.Status.PENDING)
    board = client.get("/matching/job-fair/board/")
    assert board.status_code == 403 and "Waiting for approval" in board.content.decode()

    client.force_login(world.actors.organiser)
    assert "ivan@impostor.example" in client.get("/organisations/requests/").content.decode()
    client.post(f"/organisations/memberships/{membership.pk}/decide/", {"decision": "refuse"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REFUSED
    client.force_login(impostor)
    assert "Request refused" in client.get("/matching/job-fair/board/").content.decode()
