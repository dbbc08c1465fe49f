"""The stakeholder services: who may write, consent before a contact, follow-ups and the timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.exceptions import EventsError, PermissionDenied
from events.models import FollowUp, Interaction, StakeholderContact
from events.stakeholder_selectors import coverage, may_see_stakeholders, timeline
from events.stakeholders import contact_add, follow_up_add, follow_up_done, interaction_record, stakeholder_create


def test_only_organisers_and_programme_staff_may_see_stakeholders(world):
    p = world.programme
    assert may_see_stakeholders(user=world.organiser, programme=p)
    assert may_see_stakeholders(user=world.staff, programme=p)
    assert not may_see_stakeholders(user=world.official, programme=p)
    assert not may_see_stakeholders(user=world.outsider, programme=p)


def test_an_official_of_a_partner_cannot_add_a_stakeholder(world):
    with pytest.raises(PermissionDenied):
        stakeholder_create(
            programme=world.programme,
            actor=world.official,
            data={"name": "Erbil Tech Hub", "kind": "tech_hub", "country": "IQ"},
        )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"name": "X", "kind": "tech_hub", "country": "ZZ"}, "country"),
        ({"name": "X", "kind": "castle", "country": "IQ"}, "invalid"),
        ({"name": "X\u202e", "kind": "tech_hub", "country": "IQ"}, "invalid"),
        ({"name": "X", "kind": "tech_hub", "country": "IQ", "website": "javascript:alert(1)"}, "invalid"),
        ({"name": "X", "kind": "tech_hub", "country": "IQ", "tags": "a" * 41}, "invalid_tag"),
    ],
)
def test_bad_stakeholder_fields_are_refused_with_a_code(world, data, code):
    with pytest.raises(EventsError) as caught:
        stakeholder_create(programme=world.programme, actor=world.staff, data=data)
    assert caught.value.code == code


def test_a_contact_needs_the_basis_and_date_of_their_consent(world):
    with pytest.raises(EventsError) as caught:
        contact_add(stakeholder=world.uni, actor=world.staff, name="Dr Layla", consent_basis="", consent_given_on=None)
    assert caught.value.code == "consent_required"
    contact = contact_add(
        stakeholder=world.uni,
        actor=world.staff,
        name="Dr Layla",
        role="Dean",
        email="layla@uob.example",
        consent_basis=StakeholderContact.ConsentBasis.IN_WRITING,
        consent_given_on=date(2026, 11, 1),
    )
    assert contact.consent_recorded_by == world.staff


def test_interaction_lists_only_programme_staff_and_own_contacts(world):
    with pytest.raises(EventsError) as caught:
        interaction_record(
            stakeholder=world.uni, actor=world.staff, kind="call", happened_on=date(2026, 12, 1), staff=[world.outsider]
        )
    assert caught.value.code == "staff"
    other = contact_add(
        stakeholder=world.ministry,
        actor=world.staff,
        name="Mr Karim",
        consent_basis="in_person",
        consent_given_on=date(2026, 11, 1),
    )
    with pytest.raises(EventsError) as caught:
        interaction_record(
            stakeholder=world.uni, actor=world.staff, kind="call", happened_on=date(2026, 12, 1), contacts=[other]
        )
    assert caught.value.code == "contact"
    assert not Interaction.objects.exists()


def test_follow_up_owner_must_be_programme_staff(world):
    with pytest.raises(EventsError) as caught:
        follow_up_add(
            stakeholder=world.uni,
            actor=world.staff,
            title="Send the curriculum survey",
            owner=world.official,
            due_on=date(2026, 12, 20),
        )
    assert caught.value.code == "owner"


def test_timeline_flags_an_open_follow_up_past_its_date_as_overdue(world):
    today = timezone.localdate()
    interaction_record(
        stakeholder=world.uni,
        actor=world.staff,
        kind="meeting",
        happened_on=today - timedelta(days=10),
        staff=[world.staff],
        notes="Met the dean about the ICT curriculum.",
    )
    late = follow_up_add(
        stakeholder=world.uni,
        actor=world.staff,
        title="Send the survey",
        owner=world.staff,
        due_on=today - timedelta(days=1),
    )
    done = follow_up_add(
        stakeholder=world.uni,
        actor=world.staff,
        title="Thank them",
        owner=world.staff,
        due_on=today - timedelta(days=2),
    )
    follow_up_done(follow_up=done, actor=world.organiser)
    follow_up_done(follow_up=done, actor=world.organiser)
    entries = timeline(stakeholder=world.uni)
    assert [(e.kind, e.overdue) for e in entries] == [("follow_up", True), ("follow_up", False), ("interaction", False)]
    assert entries[0].item == late
    assert FollowUp.objects.filter(done_at__isnull=False).count() == 1


def test_coverage_counts_listed_and_reached_per_type(world):
    interaction_record(stakeholder=world.uni, actor=world.staff, kind="visit", happened_on=date(2026, 12, 1))
    interaction_record(stakeholder=world.uni, actor=world.staff, kind="call", happened_on=date(2026, 12, 2))
    rows = {r["kind"]: r for r in coverage(programme=world.programme)}
    assert (rows["university"]["listed"], rows["university"]["reached"], rows["university"]["percent"]) == (1, 1, 100)
    assert (rows["government"]["listed"], rows["government"]["reached"]) == (1, 0)
    assert rows["ngo"]["listed"] == 0
