from __future__ import annotations


def test_organisers_find_every_live_tool_on_the_event_page(actors, client):
    client.force_login(actors.organiser)

    body = client.get(f"/events/{actors.event.slug}/").content.decode()

    for path in (
        "control",
        "screen",
        "/checkin/job-fair/scan",
        "/checkin/job-fair/log/",
        "/matching/job-fair/gap-report",
    ):
        assert path in body
    for path in ("/events/job-fair/control", "/checkin/job-fair/log/"):
        assert client.get(path).status_code == 200


def test_attendees_do_not_see_organiser_tools(actors, client):
    client.force_login(actors.candidate)

    body = client.get(f"/events/{actors.event.slug}/").content.decode()

    assert "/events/job-fair/control" not in body
    assert "/checkin/job-fair/log/" not in body
