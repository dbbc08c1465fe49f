"""An employer's meeting request reaches the candidate at once: an email in the candidate's language
with accept and decline links that work for that candidate only, and an expiry both sides see."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from events.models import Registration
from matching import meetings
from matching.meeting_links import answer_token
from matching.models import FairConfig, Meeting, MeetingRequest
from tests.matching.fair_setup import _fresh_index, build_fair, set_inside  # noqa: F401


def _request(actors, **kw):
    return meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_a,
        candidate=actors.candidate,
        sent_by="employer",
        requested_by=actors.employer_a,
        **kw,
    )


def _send(actors, django_capture_on_commit_callbacks, **kw):
    # The employer works in Lithuanian; the candidate registered in Arabic.
    with django_capture_on_commit_callbacks(execute=True), translation.override("lt"):
        return _request(actors, **kw)


@pytest.fixture
def arabic_candidate(actors):
    Registration.objects.filter(event=actors.event, user=actors.candidate).update(language="ar")
    return actors.candidate


def _links(message) -> dict[str, str]:
    found = re.findall(r"https?://\S+/matching/answer/(\S+?)/", message.body)
    assert len(found) == 2, message.body
    return {"accept": f"/matching/answer/{found[0]}/", "decline": f"/matching/answer/{found[1]}/"}


def test_the_request_is_emailed_to_the_candidate_in_their_language_with_the_expiry(
    actors, arabic_candidate, django_capture_on_commit_callbacks
):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1), slots=24 * 6)
    req = _send(actors, django_capture_on_commit_callbacks)
    sent = [m for m in mail.outbox if m.to == [actors.candidate.email]]
    assert len(sent) == 1
    message = sent[0]
    # Arabic, not the employer's Lithuanian: "Baltic Code UAB would like to meet you".
    assert message.subject == "ترغب Baltic Code UAB في لقائك"
    assert "Baltic Code UAB" in message.body and "Vilnius" not in message.subject
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    # The expiry, in the event's zone, long enough to answer from the email.
    assert abs(req.expires_at - timezone.now() - timedelta(hours=48)) < timedelta(minutes=1)
    local = timezone.localtime(req.expires_at, actors.event.tzinfo)
    with translation.override("ar"):
        assert formats.date_format(local, "DATETIME_FORMAT") in message.body
    assert actors.event.timezone in message.body
    assert set(_links(message)) == {"accept", "decline"}
    # Only the candidate: the employer's side hears of it on its board.
    assert [m.to for m in mail.outbox] == [[actors.candidate.email]]


def test_the_accept_link_books_the_meeting_for_that_candidate_without_signing_anyone_in(
    actors, client, django_capture_on_commit_callbacks
):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    req = _send(actors, django_capture_on_commit_callbacks)
    links = _links(mail.outbox[-1])
    page = client.get(links["accept"])
    assert page.status_code == 200
    assert "Baltic Code UAB" in page.content.decode()
    # A GET (a mail scanner opening the link) changes nothing.
    assert MeetingRequest.objects.get(pk=req.pk).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(links["accept"])
    assert done.status_code == 200
    assert MeetingRequest.objects.get(pk=req.pk).status == "accepted"
    meeting = Meeting.objects.get(request=req)
    assert meeting.candidate_id == actors.candidate.pk
    assert "_auth_user_id" not in client.session
    # Once answered the link answers nothing more.
    again = client.post(links["decline"])
    assert again.status_code == 409
    assert MeetingRequest.objects.get(pk=req.pk).status == "accepted"


def test_the_decline_link_only_declines(actors, client, django_capture_on_commit_callbacks):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    req = _send(actors, django_capture_on_commit_callbacks)
    links = _links(mail.outbox[-1])
    assert client.post(links["decline"]).status_code == 200
    assert MeetingRequest.objects.get(pk=req.pk).status == "declined"
    assert not Meeting.objects.filter(request=req).exists()


def test_answer_links_refuse_forgery_other_addresses_staff_and_expiry(actors, client):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    req = _request(actors)
    token = answer_token(req, "accept")
    # Tampered, or not a token at all.
    assert client.get(f"/matching/answer/{token[:-2]}xx/").status_code == 400
    assert client.get("/matching/answer/%00%ff/").status_code in (400, 404)
    assert client.post(f"/matching/answer/{token}x/").status_code == 400
    # A request the candidate sent themselves has no emailed answer link.
    own = meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_b,
        candidate=actors.candidate,
        sent_by="candidate",
        requested_by=actors.candidate,
    )
    assert client.get(f"/matching/answer/{answer_token(own, 'accept')}/").status_code == 400
    # The address changed since the email: the link is dead.
    actors.candidate.email = "new@example.org"
    actors.candidate.save()
    assert client.post(f"/matching/answer/{token}/").status_code == 400
    actors.candidate.email = "candidate@example.org"
    actors.candidate.save()
    # Staff are never acted for by a link.
    actors.candidate.is_staff = True
    actors.candidate.save()
    assert client.post(f"/matching/answer/{token}/").status_code == 400
    actors.candidate.is_staff = False
    actors.candidate.save()
    # Expired: the page says so (read-time expiry), and nothing is written.
    MeetingRequest.objects.filter(pk=req.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    stale = client.get(f"/matching/answer/{answer_token(MeetingRequest.objects.get(pk=req.pk), 'accept')}/")
    assert stale.status_code == 409
    # The original link names the original expiry, which no longer matches the request.
    assert client.get(f"/matching/answer/{token}/").status_code == 400
    assert MeetingRequest.objects.get(pk=req.pk).status == "pending"
    assert not Meeting.objects.exists()


def test_the_expiry_is_long_away_from_the_fair_and_short_while_both_are_inside(actors):
    now = timezone.now()
    build_fair(actors, starts_at=now - timedelta(minutes=30), slots=60)
    cfg = FairConfig.objects.get(event=actors.event)
    assert cfg.request_expiry_minutes == 48 * 60 and cfg.request_expiry_on_site_minutes == 15
    # Only the candidate is inside: an email must still be answerable, but not after the fair ends.
    set_inside(actors.event, actors.candidate)
    first = _request(actors, now=now)
    assert first.expires_at == cfg.ends_at
    MeetingRequest.objects.filter(pk=first.pk).update(status="cancelled")
    # Both the candidate and the employer's representative are at the fair: fifteen minutes.
    set_inside(actors.event, actors.employer_a)
    second = _request(actors, now=now)
    assert second.expires_at - now == timedelta(minutes=15)
    # Per fair.
    MeetingRequest.objects.filter(pk=second.pk).update(status="cancelled")
    FairConfig.objects.filter(pk=cfg.pk).update(request_expiry_on_site_minutes=30)
    assert _request(actors, now=now).expires_at - now == timedelta(minutes=30)


def test_the_employer_of_a_pending_membership_does_not_make_the_request_short(actors):
    from events.models import Membership

    now = timezone.now()
    build_fair(actors, starts_at=now - timedelta(minutes=30), slots=60)
    set_inside(actors.event, actors.candidate)
    set_inside(actors.event, actors.employer_a)
    Membership.objects.filter(user=actors.employer_a).update(status=Membership.Status.PENDING)
    cfg = FairConfig.objects.get(event=actors.event)
    assert meetings.request_expiry(cfg=cfg, organisation=actors.org_a, candidate=actors.candidate, now=now) == (
        cfg.ends_at
    )
