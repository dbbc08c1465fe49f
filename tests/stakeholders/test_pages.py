"""The stakeholder pages: only organisers and programme staff; filters, timeline, coverage, import, export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import FollowUp, Interaction, Stakeholder, StakeholderContact
from events.stakeholders import follow_up_add, interaction_record


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _urls(world) -> list[str]:
    slug, pk = world.programme.slug, world.uni.pk
    return [
        reverse("stakeholders:directory", args=[slug]),
        reverse("stakeholders:coverage", args=[slug]),
        reverse("stakeholders:export", args=[slug]),
        reverse("stakeholders:detail", args=[slug, pk]),
    ]


@pytest.mark.parametrize("who", ["official", "outsider"])
def test_nobody_but_organisers_and_programme_staff_opens_the_pages(world, who):
    client = _client(getattr(world, who))
    for url in _urls(world):
        assert client.get(url).status_code == 404, url
    post = client.post(
        reverse("stakeholders:add", args=[world.programme.slug]), {"name": "X", "kind": "ngo", "country": "IQ"}
    )
    assert post.status_code == 404
    assert not Stakeholder.objects.filter(name="X").exists()


def test_a_visitor_is_sent_to_sign_in(world):
    for url in _urls(world):
        response = _client().get(url)
        assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("who", ["organiser", "staff"])
def test_organisers_and_programme_staff_open_every_page(world, who):
    client = _client(getattr(world, who))
    for url in _urls(world):
        assert client.get(url).status_code == 200, url


def test_directory_filters_by_type_city_last_contact_and_open_follow_ups(world):
    today = timezone.localdate()
    interaction_record(stakeholder=world.uni, actor=world.staff, kind="call", happened_on=today - timedelta(days=5))
    follow_up_add(stakeholder=world.ministry, actor=world.staff, title="Call back", owner=world.staff, due_on=today)
    client = _client(world.staff)
    url = reverse("stakeholders:directory", args=[world.programme.slug])

    def names(**params):
        body = client.get(url, params).content.decode()
        return [s.name for s in (world.uni, world.ministry) if s.name in body]

    assert names(kind="government") == ["Ministry of Communications"]
    assert names(city="Baghdad") == ["University of Baghdad"]
    assert names(last_contact="30") == ["University of Baghdad"]
    assert names(last_contact="never") == ["Ministry of Communications"]
    assert names(open_follow_ups="on") == ["Ministry of Communications"]


@pytest.mark.parametrize(
    "params", [{"kind": "castle"}, {"country": "ZZ"}, {"last_contact": "x" * 500}, {"city": "Nowhere"}]
)
def test_a_bad_filter_is_shown_as_an_error_not_a_500(world, params):
    response = _client(world.staff).get(reverse("stakeholders:directory", args=[world.programme.slug]), params)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_the_timeline_flags_an_overdue_follow_up_in_arabic_right_to_left(world):
    world.organiser.full_name = "سارة"
    today = timezone.localdate()
    interaction_record(
        stakeholder=world.uni,
        actor=world.staff,
        kind="visit",
        happened_on=today - timedelta(days=3),
        staff=[world.staff],
    )
    follow_up_add(
        stakeholder=world.uni,
        actor=world.staff,
        title="Send the survey",
        owner=world.staff,
        due_on=today - timedelta(days=1),
    )
    client = _client(world.staff)
    client.cookies["django_language"] = "ar"
    body = client.get(reverse("stakeholders:detail", args=[world.programme.slug, world.uni.pk])).content.decode()
    assert 'dir="rtl"' in body
    assert "<bdi>University of Baghdad</bdi>" in body and "<bdi>Send the survey</bdi>" in body
    assert 'class="s-in_progress overdue"' in body


def test_the_pages_write_through_their_forms(world):
    client = _client(world.staff)
    slug, pk = world.programme.slug, world.uni.pk
    response = client.post(
        reverse("stakeholders:contact_add", args=[slug, pk]),
        {"name": "Dr Layla", "consent_basis": "in_writing", "consent_given_on": "2026-11-01"},
    )
    assert response.status_code == 302
    contact = StakeholderContact.objects.get()
    refused = client.post(reverse("stakeholders:contact_add", args=[slug, pk]), {"name": "No Consent"})
    assert refused.status_code == 422 and StakeholderContact.objects.count() == 1
    response = client.post(
        reverse("stakeholders:interaction_add", args=[slug, pk]),
        {
            "kind": "meeting",
            "happened_on": "2026-12-01",
            "staff": [world.staff.pk],
            "contacts": [contact.pk],
            "notes": "ok",
        },
    )
    assert response.status_code == 302
    assert list(Interaction.objects.get().contacts.all()) == [contact]
    response = client.post(
        reverse("stakeholders:follow_up_add", args=[slug, pk]),
        {"title": "Send survey", "owner": world.outsider.pk, "due_on": "2026-12-20"},
    )
    assert response.status_code == 422 and not FollowUp.objects.exists()
    client.post(
        reverse("stakeholders:follow_up_add", args=[slug, pk]),
        {"title": "Send survey", "owner": world.staff.pk, "due_on": "2026-12-20"},
    )
    item = FollowUp.objects.get()
    client.post(reverse("stakeholders:follow_up_done", args=[slug, pk, item.pk]))
    item.refresh_from_db()
    assert item.done_at is not None


def test_import_page_lists_row_errors_by_line_and_writes_nothing(world):
    client = _client(world.staff)
    data = b"name,type,country\nGood,company,IQ\nBad,company,XX\n"
    response = client.post(
        reverse("stakeholders:import", args=[world.programme.slug]),
        {"file": SimpleUploadedFile("s.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 422
    assert "line 3" in response.content.decode()
    assert not Stakeholder.objects.filter(name="Good").exists()
    ok = client.post(
        reverse("stakeholders:import", args=[world.programme.slug]),
        {"file": SimpleUploadedFile("s.csv", b"name,type,country\nGood,company,IQ\n", content_type="text/csv")},
    )
    assert ok.status_code == 302 and Stakeholder.objects.filter(name="Good").exists()


def test_coverage_page_shows_reached_per_type(world):
    interaction_record(stakeholder=world.uni, actor=world.staff, kind="call", happened_on=timezone.localdate())
    body = _client(world.organiser).get(reverse("stakeholders:coverage", args=[world.programme.slug])).content.decode()
    assert '<tr data-kind="university">' in body
    assert '<progress max="100" value="100">' in body


def test_the_directory_reads_in_arabic_lithuanian_and_kurdish(world):
    client = _client(world.staff)
    url = reverse("stakeholders:directory", args=[world.programme.slug])
    for language, heading in (
        ("ar", "الجهات المعنية"),
        ("lt", "Suinteresuotosios šalys"),
        ("ckb", "لایەنە پەیوەندیدارەکان"),
    ):
        client.cookies["django_language"] = language
        assert heading in client.get(url).content.decode(), language
