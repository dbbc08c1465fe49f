from __future__ import annotations

import icalendar

from events.models import FeedToken
from matching import meetings
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401


def _feed(client, user):
    token = FeedToken.objects.get_or_create(user=user, defaults={"key": FeedToken.generate()})[0].key
    r = client.get(f"/calendar/feeds/{token}.ics")
    assert r.status_code == 200
    cal = icalendar.Calendar.from_ical(r.content)
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT") if str(ev["UID"]).startswith("meeting-")}


def test_booked_meeting_appears_in_both_feeds_and_cancellation_follows(actors, client):
    fair = build_fair(actors)
    req = meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_a,
        candidate=actors.candidate,
        sent_by="employer",
        requested_by=actors.employer_a,
    )
    m = meetings.meeting_request_respond(request_id=req.pk, user=actors.candidate, accept=True).meeting
    mine = _feed(client, actors.candidate)
    theirs = _feed(client, actors.employer_a)
    uid = next(iter(mine))
    assert set(mine) == set(theirs) == {uid}
    assert "Baltic Code UAB" in str(mine[uid]["SUMMARY"])
    assert "Zainab Candidate" in str(theirs[uid]["SUMMARY"])
    assert mine[uid].decoded("DTSTART") == fair.config.starts_at.replace(microsecond=0)
    assert _feed(client, actors.employer_b) == {}
    meetings.meeting_cancel(meeting_id=m.pk, user=actors.employer_a)
    assert str(_feed(client, actors.candidate)[uid]["STATUS"]) == "CANCELLED"
