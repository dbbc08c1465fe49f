"""Every role × membership state against every page and API that shows an organisation's data.

The rule under test: only a registered employer whose membership of the organisation is granted sees
its board, leads, CVs, profiles, meetings and requests; a pending, refused or removed member is told
why (403 `membership_required`, or the "waiting for approval" page) and sees nothing else.
"""

from __future__ import annotations

import pytest

from tests.memberships.conftest import NOTE, ROLES, STATES, feed_meeting_uids, newcomer

CASES = [(role, state) for role in ROLES for state in STATES]


def _sees(role: str, state: str) -> bool:
    return role == "employer" and state == "granted"


def _refusal(role: str) -> str:
    # An employer knows they asked to join; anybody else is simply not an employer here.
    return "membership_required" if role == "employer" else "forbidden"


@pytest.mark.parametrize(("role", "state"), CASES)
def test_board_page_opens_only_for_a_granted_employer(world, client, role, state):
    client.force_login(newcomer(world, role=role, state=state))
    r = client.get("/matching/job-fair/board/")
    if _sees(role, state):
        assert r.status_code == 200
        assert "Python backend developer" in r.content.decode()
    elif role == "employer":
        body = r.content.decode()
        assert r.status_code == 403
        assert "Python backend developer" not in body and "Zainab" not in body
        heading = {"pending": "Waiting for approval", "refused": "Request refused", "removed": "No longer a member"}
        assert heading[state] in body
    else:
        assert r.status_code == 404


@pytest.mark.parametrize(("role", "state"), CASES)
def test_board_fragment_is_json_refusal_until_granted(world, client, role, state):
    client.force_login(newcomer(world, role=role, state=state))
    r = client.get("/matching/job-fair/board/fragment/")
    if _sees(role, state):
        assert r.status_code == 200 and "html" in r.json()
    elif role == "employer":
        assert (r.status_code, r.json()["reason"]) == (403, "membership_required")
        assert "Zainab" not in r.content.decode()
    else:
        assert r.status_code == 404


@pytest.mark.parametrize(("role", "state"), CASES)
def test_board_api_answers_membership_required_until_granted(world, client, role, state):
    client.force_login(newcomer(world, role=role, state=state))
    r = client.get("/api/v1/matching/events/job-fair/board")
    if _sees(role, state):
        assert r.status_code == 200 and r.json()["organisation_id"] == world.org_a.pk
    else:
        assert (r.status_code, r.json()["reason"]) == (403, _refusal(role))


@pytest.mark.parametrize(("role", "state"), CASES)
def test_leads_csv_and_api_hold_the_private_notes_back(world, client, role, state):
    client.force_login(newcomer(world, role=role, state=state))
    csv = client.get("/matching/job-fair/leads.csv")
    api = client.get("/api/v1/matching/events/job-fair/leads")
    if _sees(role, state):
        assert csv.status_code == 200 and NOTE in csv.content.decode("utf-8-sig")
        assert world.candidate.email in csv.content.decode("utf-8-sig")
        assert api.status_code == 200 and api.json()["items"][0]["note"] == NOTE
    else:
        assert csv.status_code in (403, 404)
        assert NOTE not in csv.content.decode() and world.candidate.email not in csv.content.decode()
        assert (api.status_code, api.json()["reason"]) == (403, _refusal(role))


@pytest.mark.parametrize(("role", "state"), CASES)
def test_cv_download_only_for_granted_employers(world, client, role, state):
    client.force_login(newcomer(world, role=role, state=state))
    r = client.get(f"/matching/cv/{world.candidate.pk}/")
    if _sees(role, state):
        assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF-")
    else:
        assert r.status_code == 404


@pytest.mark.parametrize(("role", "state"), CASES)
def test_profile_api_only_for_granted_employers(world, client, role, state):
    client.force_login(newcomer(world, role=role, state=state))
    r = client.get(f"/api/v1/matching/events/job-fair/candidates/{world.candidate.pk}")
    if _sees(role, state):
        assert r.status_code == 200 and r.json()["name"] == "Zainab Candidate"
    else:
        assert (r.status_code, r.json()["reason"]) == (404, "not_found")


@pytest.mark.parametrize(("role", "state"), CASES)
def test_meetings_and_requests_api_show_the_organisations_only_to_granted_employers(world, client, role, state):
    client.force_login(newcomer(world, role=role, state=state))
    got_meetings = client.get("/api/v1/matching/events/job-fair/meetings")
    got_requests = client.get("/api/v1/matching/events/job-fair/requests")
    if _sees(role, state):
        assert world.meeting.pk in [m["id"] for m in got_meetings.json()["items"]]
        assert world.request.pk in [r["id"] for r in got_requests.json()["items"]]
    elif role == "employer":
        assert (got_meetings.status_code, got_meetings.json()["reason"]) == (403, "membership_required")
        assert (got_requests.status_code, got_requests.json()["reason"]) == (403, "membership_required")
    else:
        # Anybody else sees their own, which are none.
        assert (got_meetings.status_code, got_meetings.json()["items"]) == (200, [])
        assert (got_requests.status_code, got_requests.json()["items"]) == (200, [])


@pytest.mark.parametrize("state", STATES)
def test_writes_for_the_organisation_need_a_granted_membership(world, client, state):
    """Requests, marks, leads and badge scans in the organisation's name."""
    from checkin.selectors import ticket_payload
    from checkin.services import ticket_issue
    from tests.memberships.conftest import registration_of

    client.force_login(newcomer(world, role="employer", state=state))
    base = "/api/v1/matching/events/job-fair"
    badge = ticket_payload(ticket_issue(registration=registration_of(world.candidate, world)))
    answers = [
        client.post(f"{base}/marks", {"candidate_id": world.candidate.pk, "kind": "shortlist"}, "application/json"),
        client.post(f"{base}/leads", {"candidate_id": world.candidate.pk, "note": "x"}, "application/json"),
        client.post(f"{base}/leads", {"badge": badge}, "application/json"),
    ]
    if state == "granted":
        assert [a.status_code for a in answers] == [200, 200, 200]
    else:
        assert [(a.status_code, a.json()["reason"]) for a in answers] == [(403, "membership_required")] * 3
        scan = client.post("/matching/job-fair/scan/", {"payload": badge})
        assert scan.status_code == 403 and "Zainab" not in scan.content.decode()


@pytest.mark.parametrize(("role", "state"), CASES)
def test_calendar_feed_carries_the_organisations_meetings_only_to_granted_members(world, client, role, state):
    person = newcomer(world, role=role, state=state)
    uid = next(iter(feed_meeting_uids(client, world.actors.employer_a)))
    assert uid.startswith(f"meeting-{world.meeting.pk}@")
    assert (uid in feed_meeting_uids(client, person)) == (state == "granted")


@pytest.mark.parametrize(
    ("state", "expected"), [("granted", 200), ("pending", 403), ("refused", 403), ("removed", 403)]
)
def test_bilateral_wishes_need_an_officials_granted_membership(world, client, state, expected):
    from tests.factories import OrganisationFactory, RegistrationFactory, UserFactory
    from tests.memberships.conftest import ministry_official

    counterpart = OrganisationFactory(name="Ministry of Communications", country="IQ", kind="government")
    # A counterpart is an institution of the other delegation present at the event.
    RegistrationFactory(
        event=world.event, user=UserFactory(email="iq@moc.example"), role="official", organisation=counterpart
    )
    client.force_login(ministry_official(world, state=state))
    r = client.post(
        "/api/v1/matching/events/job-fair/wishes", {"counterpart_id": counterpart.pk, "weight": 4}, "application/json"
    )
    assert r.status_code == expected


def test_organisers_staff_and_outsiders_keep_what_they_had(world, client):
    from events.models import Registration
    from tests.factories import RegistrationFactory, UserFactory

    staff = UserFactory(email="door@example.org")
    RegistrationFactory(event=world.event, user=staff, role=Registration.Role.STAFF)
    cv = f"/matching/cv/{world.candidate.pk}/"
    profile = f"/api/v1/matching/events/job-fair/candidates/{world.candidate.pk}"
    expected = {
        world.actors.organiser: (200, 200, 404),
        world.actors.candidate: (200, 200, 404),  # their own CV and profile; no board
        world.actors.employer_a: (200, 200, 200),
        world.actors.employer_b: (200, 200, 200),  # their own organisation's board and the consenting CV
        world.actors.official: (404, 404, 404),
        world.actors.outsider: (404, 404, 404),
        staff: (404, 404, 404),
    }
    for user, (cv_status, profile_status, board_status) in expected.items():
        client.force_login(user)
        got = (client.get(cv).status_code, client.get(profile).status_code)
        got += (client.get("/matching/job-fair/board/").status_code,)
        assert got == (cv_status, profile_status, board_status), user.email


def test_a_removed_member_loses_the_meetings_from_a_feed_they_already_fetched(world, client):
    from events.memberships import membership_decide
    from events.models import Membership

    employer = world.actors.employer_a
    uids = feed_meeting_uids(client, employer)
    assert uids
    membership = Membership.objects.get(user=employer, organisation=world.org_a)
    membership_decide(membership=membership, status="removed", by=world.actors.organiser)
    assert feed_meeting_uids(client, employer) == set()
    client.force_login(employer)
    assert client.get("/matching/job-fair/leads.csv").status_code == 403
