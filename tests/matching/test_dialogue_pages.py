"""An official's pages at a dialogue: the dialogue page, the wishes form and its validation, the menu,
and the friendly 404 every other role meets there (in the reader's language)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from events.models import Registration
from matching import dialogue
from matching.models import BilateralWish, DialogueSettings, Meeting
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.matching.dialogue_setup import build_dialogue, commits

NOT_FOUND_AR = "الصفحة غير موجودة"


@pytest.fixture
def d(db):
    return build_dialogue()


def _save(client, d, **data):
    body = {"action": "save", "weight": "3", **data}
    return client.post(f"/matching/{d.event.slug}/dialogue/wishes/", body)


def test_the_official_sees_delegations_by_consent_topics_and_their_wishes(d, client):
    client.force_login(d.lt["ruta"])
    page = client.get(f"/matching/{d.event.slug}/dialogue/", headers={"accept-language": "lt"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "أحمد الربيعي" in body and "Rūta Kazlauskienė" in body
    # Tomas did not agree to be listed: his institution is shown, his name is not.
    assert "Tomas Petrauskas" not in body and "Migration Department" in body
    assert "Darbo migracijos valdymas" in body  # the topic in Lithuanian
    assert f"/matching/{d.event.slug}/dialogue/wishes/" in body


def test_the_event_page_carries_the_officials_section_and_nobody_elses(d, client):
    client.force_login(d.iq["ahmed"])
    body = client.get(f"/events/{d.event.slug}/", headers={"accept-language": "ar"}).content.decode()
    assert 'class="dialogue-section"' in body and "إدارة هجرة العمالة" in body
    outsider = UserFactory(email="someone@example.org")
    RegistrationFactory(event=d.event, user=outsider, role=Registration.Role.CANDIDATE)
    client.force_login(outsider)
    body = client.get(f"/events/{d.event.slug}/").content.decode()
    assert 'class="dialogue-section"' not in body and "Delegations" not in body


def test_me_at_a_dialogue_takes_an_official_to_their_page(d, client):
    client.force_login(d.iq["hassan"])
    r = client.get(f"/matching/{d.event.slug}/me/")
    assert (r.status_code, r["Location"]) == (302, f"/matching/{d.event.slug}/dialogue/")


def test_a_wish_for_an_institution_with_topics_and_priority_is_saved(d, client):
    client.force_login(d.lt["ruta"])
    r = _save(client, d, target=f"org:{d.orgs['molsa'].pk}", topics=[d.topics[0].pk, d.topics[2].pk], weight="5")
    assert r.status_code == 302
    wish = BilateralWish.objects.get(official=d.lt["ruta"])
    assert (wish.counterpart, wish.weight, wish.person) == (d.orgs["molsa"], 5, None)
    assert set(wish.topics.all()) == {d.topics[0], d.topics[2]}
    page = client.get(f"/matching/{d.event.slug}/dialogue/wishes/").content.decode()
    assert "Ministry of Labour and Social Affairs" in page and "Priority 5" in page


def test_a_wish_for_a_listed_person_books_their_institution(d, client):
    client.force_login(d.lt["ruta"])
    assert _save(client, d, target=f"person:{d.iq['hassan'].pk}").status_code == 302
    wish = BilateralWish.objects.get(official=d.lt["ruta"])
    assert (wish.counterpart, wish.person) == (d.orgs["moc"], d.iq["hassan"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({"target": "org:{own}"}, "Select a valid choice."),  # an institution of one's own delegation
        ({"target": "person:{unlisted}"}, "Select a valid choice."),  # not listed: not offered
        ({"target": "org:{molsa}", "weight": "9"}, "Select a valid choice."),
        ({"target": "org:{molsa}", "topics": ["999999"]}, "Select a valid choice."),
        ({"target": "org:{molsa}", "weight": "x"}, "Select a valid choice."),
    ],
)
def test_the_wishes_form_shows_what_is_wrong_and_saves_nothing(d, client, data, message):
    iq_unlisted = UserFactory(email="quiet@molsa.example", full_name="Quiet Official", organisation=d.orgs["molsa"])
    RegistrationFactory(event=d.event, user=iq_unlisted, role="official", organisation=d.orgs["molsa"], delegation="IQ")
    ids = {"own": d.orgs["migration"].pk, "unlisted": iq_unlisted.pk, "molsa": d.orgs["molsa"].pk}
    data = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in data.items()}
    client.force_login(d.lt["ruta"])
    r = _save(client, d, **data)
    assert r.status_code == 400
    assert message in r.content.decode() and 'class="error"' in r.content.decode()
    assert not BilateralWish.objects.exists()


def test_closed_wishes_cannot_be_changed_by_page_or_api(d, client):
    wish = dialogue.wish_save(event=d.event, official=d.lt["ruta"], counterpart_id=d.orgs["molsa"].pk, weight=2)
    DialogueSettings.objects.create(event=d.event, wishes_open=False)
    client.force_login(d.lt["ruta"])
    page = client.get(f"/matching/{d.event.slug}/dialogue/wishes/").content.decode()
    assert 'id="wishes-closed"' in page and 'id="wish-form"' not in page
    r = _save(client, d, target=f"org:{d.orgs['moc'].pk}")
    assert r.status_code == 409 and "closed" in r.content.decode()
    r = client.post(
        f"/api/v1/matching/events/{d.event.slug}/wishes",
        {"counterpart_id": d.orgs["molsa"].pk, "weight": None},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["reason"]) == (409, "wishes_closed")
    assert list(BilateralWish.objects.all()) == [wish]


def test_wishes_close_at_their_deadline(d, client):
    DialogueSettings.objects.create(event=d.event, wishes_close_at=timezone.now() - timedelta(minutes=1))
    client.force_login(d.lt["ruta"])
    assert _save(client, d, target=f"org:{d.orgs['moc'].pk}").status_code == 409


def test_the_api_takes_only_the_other_delegations_institutions(d, client):
    client.force_login(d.lt["ruta"])
    url = f"/api/v1/matching/events/{d.event.slug}/wishes"
    own = client.post(url, {"counterpart_id": d.orgs["migration"].pk, "weight": 3}, content_type="application/json")
    assert (own.status_code, own.json()["reason"]) == (422, "invalid")
    ok = client.post(url, {"counterpart_id": d.orgs["moc"].pk, "weight": 3}, content_type="application/json")
    assert ok.status_code == 200


def test_marked_times_are_saved_and_only_published_ones_accepted(d, client):
    client.force_login(d.lt["ruta"])
    page = client.get(f"/matching/{d.event.slug}/dialogue/wishes/").content.decode()
    assert 'name="busy"' in page
    key = d.slots[0].starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    r = client.post(f"/matching/{d.event.slug}/dialogue/wishes/", {"action": "busy", "busy": [key]})
    assert r.status_code == 302
    assert dialogue.busy_windows(event=d.event, official=d.lt["ruta"]) == {(d.slots[0].starts_at, d.slots[0].ends_at)}
    r = client.post(f"/matching/{d.event.slug}/dialogue/wishes/", {"action": "busy", "busy": ["20990101T000000Z"]})
    assert r.status_code == 400


def test_the_organiser_runs_the_scheduler_from_its_page_and_reads_what_was_not_placed(d, client):
    dialogue.wish_save(event=d.event, official=d.lt["ruta"], counterpart_id=d.orgs["molsa"].pk, weight=5)
    dialogue.wish_save(event=d.event, official=d.lt["ruta"], counterpart_id=d.orgs["moc"].pk, weight=5)
    dialogue.busy_set(event=d.event, official=d.lt["ruta"], windows=[(s.starts_at, s.ends_at) for s in d.slots[1:]])
    client.force_login(d.organiser)
    assert f"/matching/{d.event.slug}/dialogue/scheduler/" in client.get(f"/events/{d.event.slug}/").content.decode()
    with commits():
        r = client.post(f"/matching/{d.event.slug}/dialogue/scheduler/", {"fair": "on"})
    assert r.status_code == 302
    page = client.get(f"/matching/{d.event.slug}/dialogue/scheduler/").content.decode()
    assert Meeting.objects.filter(source="bilateral", status="booked").count() == 1
    assert 'id="unplaced"' in page and "Every slot both sides are free in is taken by other meetings." in page
    assert 'id="booked"' in page and "Meeting Room A" in page


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "path",
    [
        "/matching/{dialogue}/dialogue/wishes/",
        "/matching/{dialogue}/dialogue/scheduler/",
        "/matching/{dialogue}/dialogue/",
        "/matching/{fair}/profile/",
        "/matching/{fair}/me/",
        "/matching/{fair}/board/",
    ],
)
def test_pages_a_role_cannot_use_answer_the_friendly_404_in_arabic(d, client, path):
    fair = EventFactory(slug="fair", title="Job fair")
    RegistrationFactory(event=fair, user=d.iq["ahmed"], role="official", delegation="IQ")
    candidate = UserFactory(email="cand@example.org", language="ar")
    RegistrationFactory(event=d.event, user=candidate, role="candidate")
    who = candidate if "dialogue/" in path else d.iq["ahmed"]
    client.force_login(who)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    r = client.get(path.format(dialogue=d.event.slug, fair=fair.slug))
    body = r.content.decode()
    assert r.status_code == 404 and NOT_FOUND_AR in body and 'dir="rtl"' in body


def test_the_menu_offers_an_official_their_dialogue_and_no_job_seeker_page(d, client):
    fair = EventFactory(slug="fair", title="Job fair")
    RegistrationFactory(event=fair, user=d.lt["ruta"], role="official", delegation="LT")
    client.force_login(d.lt["ruta"])
    body = client.get("/").content.decode()
    assert f'href="/matching/{d.event.slug}/dialogue/"' in body
    assert "/profile/" not in body and f"/matching/{fair.slug}/me/" not in body
    candidate = UserFactory(email="c@example.org")
    RegistrationFactory(event=fair, user=candidate, role="candidate")
    client.force_login(candidate)
    body = client.get("/").content.decode()
    assert f'href="/matching/{fair.slug}/me/"' in body and "/matching/dialogue/dialogue/" not in body


@override_settings(DEBUG=False)
def test_an_official_at_the_control_room_meets_the_friendly_403_in_arabic(d, client):
    client.force_login(d.iq["ahmed"])
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    r = client.get(f"/events/{d.event.slug}/control")
    body = r.content.decode()
    assert r.status_code == 403 and "غير مسموح" in body and 'dir="rtl"' in body


def test_the_dialogue_page_reads_right_to_left_in_kurdish(d, client):
    client.force_login(d.iq["hassan"])
    client.post("/i18n/setlang/", {"language": "ckb", "next": "/"})
    body = client.get(f"/matching/{d.event.slug}/dialogue/").content.decode()
    assert 'dir="rtl"' in body and "شاندەکان" in body and "بەڕێوەبردنی کۆچی کار" in body
