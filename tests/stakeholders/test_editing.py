"""Editing and removing on the stakeholder pages: the organisation, contacts, interactions, follow-ups;
only organisers and programme staff; removing a contact erases what was kept of them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.exceptions import PermissionDenied
from events.models import FollowUp, Interaction, Stakeholder, StakeholderContact
from events.stakeholders import (
    contact_add,
    contact_remove,
    follow_up_add,
    follow_up_done,
    follow_up_reopen,
    interaction_delete,
    interaction_record,
    stakeholder_delete,
    stakeholder_update,
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def log(world):
    """A contact, an interaction naming her in its notes, and a follow-up from it."""
    contact = contact_add(
        stakeholder=world.uni,
        actor=world.staff,
        name="Layla Hassan",
        email="layla@uob.example",
        phone="+964 770 000 0000",
        consent_basis=StakeholderContact.ConsentBasis.IN_WRITING,
        consent_given_on=date(2026, 11, 1),
    )
    interaction = interaction_record(
        stakeholder=world.uni,
        actor=world.staff,
        kind="meeting",
        happened_on=date(2026, 11, 20),
        notes="Met layla hassan and the dean; Layla Hassan will share the syllabus.",
        contacts=[contact],
    )
    follow_up = follow_up_add(
        stakeholder=world.uni,
        actor=world.staff,
        title="Send the questionnaire",
        owner=world.staff,
        due_on=timezone.localdate() + timedelta(days=3),
        interaction=interaction,
    )
    return contact, interaction, follow_up


def _url(world, name, *more):
    return reverse(f"stakeholders:{name}", args=[world.programme.slug, world.uni.pk, *more])


def test_the_organisation_is_edited_on_its_page(world):
    client = _client(world.staff)
    form = client.get(_url(world, "edit"))
    assert form.status_code == 200 and 'value="University of Baghdad"' in form.content.decode()
    answer = client.post(
        _url(world, "edit"),
        {"name": "University of Baghdad", "kind": "university", "country": "IQ", "city": "Basra", "tags": "ICT, AI"},
    )
    assert answer.status_code == 302
    world.uni.refresh_from_db()
    assert (world.uni.city, world.uni.tags) == ("Basra", ["ict", "ai"])


def test_an_edit_into_a_listed_name_is_a_form_error(world):
    answer = _client(world.staff).post(
        _url(world, "edit"), {"name": "Ministry of Communications", "kind": "university", "country": "IQ"}
    )
    assert answer.status_code == 422 and "already in the directory" in answer.content.decode()
    world.uni.refresh_from_db()
    assert world.uni.name == "University of Baghdad"


def test_deleting_the_organisation_takes_its_log_with_it(world, log):
    answer = _client(world.organiser).post(_url(world, "delete"))
    assert answer.status_code == 302
    assert not Stakeholder.objects.filter(pk=world.uni.pk).exists()
    assert (
        not StakeholderContact.objects.exists() and not Interaction.objects.exists() and not FollowUp.objects.exists()
    )


def test_a_contact_is_edited_and_the_consent_keeps_who_recorded_it(world, log):
    contact, _interaction, _follow_up = log
    answer = _client(world.organiser).post(
        _url(world, "contact_edit", contact.pk),
        {
            "name": "Dr Layla Hassan",
            "role": "Dean",
            "email": "layla@uob.example",
            "phone": "",
            "consent_basis": "in_writing",
            "consent_given_on": "2026-11-01",
        },
    )
    assert answer.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.role, contact.phone) == ("Dr Layla Hassan", "Dean", "")
    assert contact.consent_recorded_by == world.staff  # the consent itself did not change


def test_removing_a_contact_erases_them_from_the_directory_and_the_notes(world, log):
    contact, interaction, _follow_up = log
    answer = _client(world.staff).post(_url(world, "contact_remove", contact.pk))
    assert answer.status_code == 302
    assert not StakeholderContact.objects.filter(pk=contact.pk).exists()
    interaction.refresh_from_db()
    assert "layla" not in interaction.notes.lower()
    assert interaction.notes == "Met […] and the dean; […] will share the syllabus."
    assert list(interaction.contacts.all()) == []
    page = _client(world.staff).get(reverse("stakeholders:detail", args=[world.programme.slug, world.uni.pk]))
    assert "Layla" not in page.content.decode() and "layla@uob.example" not in page.content.decode()


def test_an_interaction_is_edited_and_deleted_its_follow_ups_stay(world, log):
    _contact, interaction, follow_up = log
    client = _client(world.staff)
    assert client.get(_url(world, "interaction_edit", interaction.pk)).status_code == 200
    answer = client.post(
        _url(world, "interaction_edit", interaction.pk),
        {"kind": "call", "happened_on": "2026-11-21", "notes": "A call instead.", "staff": [world.organiser.pk]},
    )
    assert answer.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.kind, interaction.happened_on, interaction.notes) == (
        "call",
        date(2026, 11, 21),
        "A call instead.",
    )
    assert list(interaction.staff.all()) == [world.organiser] and list(interaction.contacts.all()) == []
    assert client.post(_url(world, "interaction_delete", interaction.pk)).status_code == 302
    assert not Interaction.objects.exists()
    follow_up.refresh_from_db()
    assert follow_up.interaction is None


def test_a_follow_up_is_edited_and_reopened(world, log):
    _contact, _interaction, follow_up = log
    client = _client(world.staff)
    due = timezone.localdate() + timedelta(days=10)
    answer = client.post(
        _url(world, "follow_up_edit", follow_up.pk),
        {"title": "Send both questionnaires", "owner": world.organiser.pk, "due_on": due.isoformat()},
    )
    assert answer.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.owner, follow_up.due_on) == ("Send both questionnaires", world.organiser, due)
    client.post(_url(world, "follow_up_done", follow_up.pk))
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert (
        "Reopen"
        in client.get(reverse("stakeholders:detail", args=[world.programme.slug, world.uni.pk])).content.decode()
    )
    client.post(_url(world, "follow_up_reopen", follow_up.pk))
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_a_follow_up_cannot_be_given_to_an_official(world, log):
    _contact, _interaction, follow_up = log
    answer = _client(world.staff).post(
        _url(world, "follow_up_edit", follow_up.pk),
        {"title": "X", "owner": world.official.pk, "due_on": "2026-12-24"},
    )
    assert answer.status_code == 422
    follow_up.refresh_from_db()
    assert follow_up.owner == world.staff


@pytest.mark.parametrize("who", ["official", "outsider"])
def test_nobody_else_edits_or_removes_anything(world, log, who):
    contact, interaction, follow_up = log
    client = _client(getattr(world, who))
    for name, more in [
        ("edit", ()),
        ("delete", ()),
        ("contact_edit", (contact.pk,)),
        ("contact_remove", (contact.pk,)),
        ("interaction_edit", (interaction.pk,)),
        ("interaction_delete", (interaction.pk,)),
        ("follow_up_edit", (follow_up.pk,)),
        ("follow_up_reopen", (follow_up.pk,)),
    ]:
        assert client.post(_url(world, name, *more), {"name": "Hacked"}).status_code == 404, name
    assert StakeholderContact.objects.filter(pk=contact.pk).exists() and Interaction.objects.exists()
    world.uni.refresh_from_db()
    assert world.uni.name == "University of Baghdad"
    actor = getattr(world, who)
    for write in (
        lambda: stakeholder_update(stakeholder=world.uni, actor=actor, data={"city": "X"}),
        lambda: stakeholder_delete(stakeholder=world.uni, actor=actor),
        lambda: contact_remove(contact=contact, actor=actor),
        lambda: interaction_delete(interaction=interaction, actor=actor),
        lambda: follow_up_reopen(follow_up=follow_up, actor=actor),
        lambda: follow_up_done(follow_up=follow_up, actor=actor),
    ):
        with pytest.raises(PermissionDenied):
            write()


def test_another_stakeholders_items_are_not_reachable_through_this_one(world, log):
    contact, interaction, follow_up = log
    client = _client(world.staff)
    other = lambda name, pk: reverse(f"stakeholders:{name}", args=[world.programme.slug, world.ministry.pk, pk])  # noqa: E731
    assert client.post(other("contact_remove", contact.pk)).status_code == 404
    assert client.post(other("interaction_delete", interaction.pk)).status_code == 404
    assert client.get(other("follow_up_edit", follow_up.pk)).status_code == 404
    assert StakeholderContact.objects.filter(pk=contact.pk).exists()
