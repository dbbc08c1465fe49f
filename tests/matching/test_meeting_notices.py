"""A meeting request is a live notice on the candidate's open pages (/me/ and their matching pages):
drawn by the server, re-read from `/matching/notices/` whenever their own stream says so."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from events.models import Registration
from matching import meetings
from tests.browser import phone_page, wait_for_js
from tests.conftest import make_token, requires_chromium
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401
from tests.realtime.helpers import communicator, session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)


def _ask(actors):
    return meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_a,
        candidate=actors.candidate,
        sent_by="employer",
        requested_by=actors.employer_a,
    )


def test_me_shows_the_requests_waiting_for_my_answer_and_only_mine(actors, client):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    client.force_login(actors.candidate)
    page = client.get("/me/").content.decode()
    assert 'id="meeting-notices"' in page and "Baltic Code UAB" not in page
    assert "/ws/matching/me/" in page  # the live bootstrap (templates/live/_scripts.html)
    _ask(actors)
    page = client.get("/me/").content.decode()
    assert "Baltic Code UAB would like to meet you" in page and "/matching/job-fair/me/" in page
    snapshot = client.get("/matching/notices/").json()
    assert "Baltic Code UAB" in snapshot["html"] and isinstance(snapshot["seq"], int)
    assert "Baltic Code UAB" in client.get("/matching/job-fair/profile/").content.decode()
    registration = Registration.objects.get(event=actors.event, user=actors.candidate)
    assert "Baltic Code UAB would like" in client.get(f"/me/registrations/{registration.pk}/").content.decode()
    # Nobody else sees it; signed out there is nothing to show.
    client.force_login(actors.outsider)
    assert "Baltic Code UAB" not in client.get("/me/").content.decode()
    assert "Baltic Code UAB" not in client.get("/matching/notices/").json()["html"]
    client.logout()
    assert 'id="meeting-notices"' not in client.get("/me/").content.decode()
    assert client.get("/matching/notices/").status_code == 401


@pytest.mark.django_db(transaction=True)
async def test_the_request_is_pushed_on_the_candidates_own_stream(actors):
    await sync_to_async(build_fair)(actors, starts_at=timezone.now() + timedelta(days=1))
    phone = communicator("/ws/matching/me/", cookie=await sync_to_async(session_cookie)(actors.candidate))
    connected, _ = await phone.connect()
    assert connected and (await phone.receive_json_from())["type"] == "hello"
    req = await sync_to_async(_ask)(actors)
    msg = await phone.receive_json_from(timeout=2)
    assert msg["type"] == "meeting_request.created" and msg["data"]["id"] == req.pk
    assert msg["data"]["expires_at"] == req.expires_at.isoformat()
    await phone.disconnect()


@requires_chromium
@pytest.mark.browser
@pytest.mark.e2e
def test_an_employers_request_appears_on_the_candidates_open_me_page_without_reload(actors, daphne):  # noqa: F811
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    cookie = session_cookie(actors.candidate).decode().split("=", 1)[1]
    employer = make_token(actors.employer_a)
    host = daphne.url.split("//", 1)[1].split(":")[0]
    with phone_page(locale="ar") as page:
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
        page.goto(daphne.url + "/me/")
        wait_for_js(page, "document.documentElement.dataset.live === 'online'", timeout=10_000)
        assert "Baltic Code UAB" not in page.inner_text("#meeting-notices")
        r = httpx.post(
            daphne.url + "/api/v1/matching/events/job-fair/requests",
            json={"candidate_id": actors.candidate.pk},
            headers={"Authorization": f"Bearer {employer}"},
            timeout=10,
        )
        assert r.status_code == 201, r.text
        page.wait_for_selector("#meeting-notices >> text=Baltic Code UAB", timeout=5_000)
        link = page.get_attribute("#meeting-notices a.button", "href")
        page.screenshot(path="/tmp/explorers-pages/me-meeting-notice-ar.png", full_page=True)
    assert link == "/matching/job-fair/me/"


@requires_chromium
@pytest.mark.browser
@pytest.mark.e2e
def test_the_emailed_accept_link_works_on_an_arabic_phone(actors, daphne):  # noqa: F811
    from matching.meeting_links import answer_token
    from matching.models import Meeting

    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    req = _ask(actors)
    link = f"{daphne.url}/matching/answer/{answer_token(req, 'accept')}/"
    with phone_page(locale="ar") as page:
        page.goto(link)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.locator("form.actions button[type=submit]").click()
        page.wait_for_selector("[role=status]", timeout=5_000)
        booked = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        page.screenshot(path="/tmp/explorers-pages/meeting-answer-ar.png", full_page=True)
    meeting = Meeting.objects.get(request=req)
    assert meeting.candidate_id == actors.candidate.pk
    assert "Baltic Code UAB" in booked


def test_the_answer_page_and_the_notices_write_nothing_on_a_get(actors, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matching.meeting_links import answer_token

    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    req = _ask(actors)
    links = [f"/matching/answer/{answer_token(req, a)}/" for a in ("accept", "decline")]
    with CaptureQueriesContext(connection) as anonymous:
        for link in links:
            assert client.get(link).status_code == 200
    client.force_login(actors.candidate)
    with CaptureQueriesContext(connection) as signed_in:
        assert client.get("/matching/notices/").status_code == 200
        assert client.get("/me/").status_code == 200
    statements = [q["sql"].split()[0].upper() for q in anonymous.captured_queries + signed_in.captured_queries]
    assert set(statements) <= {"SELECT", "SAVEPOINT", "RELEASE"}, statements
