"""Minutes of sessions and bilateral meetings through the API: rapporteurs write, participants read."""

from __future__ import annotations

import pytest
from django.utils import timezone

from events.models import Registration
from matching.models import Meeting
from tests.factories import RegistrationFactory


def _put(client, path, body):
    return client.put(
        path,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"} if client.token else {},
    )


def test_the_rapporteur_writes_a_draft_that_only_they_and_organisers_read(prog, as_):
    path = f"/api/v1/sessions/{prog.session.pk}/minutes"
    written = _put(
        as_("rapporteur"),
        path,
        {
            "language": "lt",
            "notes": "Aptarta darbo migracija.",
            "decisions": "Parengti memorandumą.",
            "translations": {"ar": {"notes": "نوقشت هجرة العمالة.", "decisions": "إعداد مذكرة تفاهم."}},
        },
    )
    assert written.status_code == 200, written.content
    assert written.json()["status"] == "draft" and written.json()["rapporteur"]["name"] == "Rita Rapporteur"
    assert as_("organiser").get(path).status_code == 200
    for who in ("delegate_iq", "outsider"):
        assert as_(who).get(path).status_code == 404, who
    assert as_(None).get(path).status_code == 401  # minutes are never public


def test_published_minutes_reach_the_participants_only(prog, as_):
    path = f"/api/v1/sessions/{prog.session.pk}/minutes"
    assert _put(as_("rapporteur"), path, {"status": "published"}).json()["reason"] == "empty_minutes"
    published = _put(as_("rapporteur"), path, {"notes": "Labour migration discussed.", "status": "published"})
    assert published.status_code == 200 and published.json()["published_at"]
    assert as_("delegate_iq").get(path).json()["notes"] == "Labour migration discussed."
    assert as_("outsider").get(path).status_code == 404
    assert as_(None).get(path).status_code == 401


def test_only_organisers_assign_a_rapporteur(prog, as_):
    path = f"/api/v1/sessions/{prog.other_session.pk}/minutes"
    assert _put(as_("rapporteur"), path, {"notes": "mine"}).status_code == 403
    assert _put(as_("delegate_iq"), path, {"rapporteur": prog.delegate_iq.pk}).status_code == 403
    created = _put(as_("organiser"), path, {"rapporteur": prog.delegate_iq.pk})
    assert created.status_code == 201 and created.json()["rapporteur"]["id"] == prog.delegate_iq.pk
    # Now the delegate writes it; the first session's rapporteur does not.
    assert _put(as_("delegate_iq"), path, {"notes": "Digital economy."}).status_code == 200
    assert _put(as_("rapporteur"), path, {"notes": "not mine"}).status_code == 403
    assert _put(as_("delegate_iq"), path, {"rapporteur": prog.rapporteur.pk}).status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"language": "fr"}, "language"),
        ({"notes": None}, "notes"),
        ({"translations": {"fr": {"notes": "x"}}}, "translations.fr.[key]"),
        ({"status": "final"}, "status"),
        ({"rapporteur": 0}, "rapporteur"),
        ({"rapporteur": 999999}, "rapporteur"),
    ],
)
def test_bad_minutes_bodies_are_422(prog, as_, body, field):
    response = _put(as_("organiser"), f"/api/v1/sessions/{prog.session.pk}/minutes", body)
    assert response.status_code == 422, response.content
    assert any(key.startswith(field.split(".")[0]) for key in response.json()["errors"])


def test_a_translation_into_the_texts_own_language_is_refused(prog, as_):
    response = _put(
        as_("rapporteur"),
        f"/api/v1/sessions/{prog.session.pk}/minutes",
        {"language": "en", "translations": {"en": {"notes": "x"}}},
    )
    assert response.status_code == 422 and response.json()["reason"] == "invalid_translation"


def test_minutes_of_a_missing_session_are_404(prog, as_):
    assert as_("organiser").get("/api/v1/sessions/999999/minutes").status_code == 404
    assert as_("organiser").get(f"/api/v1/sessions/{prog.other_session.pk}/minutes").status_code == 404


def _bilateral(prog, official, counterpart, source="bilateral"):
    start = prog.dialogue.starts_at
    return Meeting.objects.create(
        event=prog.dialogue,
        organisation=counterpart,
        candidate=official,
        slot=1,
        starts_at=start,
        ends_at=start + timezone.timedelta(minutes=30),
        source=source,
    )


def test_bilateral_meeting_minutes_reach_both_sides_once_published(prog, as_):
    meeting = _bilateral(prog, prog.delegate_iq, prog.ministry_lt)
    path = f"/api/v1/meetings/{meeting.pk}/minutes"
    assert _put(as_("organiser"), path, {"rapporteur": prog.rapporteur.pk}).status_code == 201
    assert (
        _put(as_("rapporteur"), path, {"notes": "Exchange of labour-market data.", "status": "published"}).status_code
        == 200
    )
    assert as_("delegate_iq").get(path).status_code == 200  # the official it was booked for
    assert as_("lead_lt").get(path).status_code == 200  # a granted member of the counterpart
    assert as_("outsider").get(path).status_code == 404
    # A job-fair meeting is not a bilateral meeting: it has no minutes.
    RegistrationFactory(event=prog.dialogue, user=prog.lead_lt, role=Registration.Role.OFFICIAL)
    fair = _bilateral(prog, prog.lead_lt, prog.ministry_iq, source="request")
    assert as_("organiser").get(f"/api/v1/meetings/{fair.pk}/minutes").status_code == 404
