"""A contact person's data is in their export and leaves with their erasure."""

from __future__ import annotations

from datetime import date

from events.models import FollowUp, Interaction, StakeholderContact
from events.personal_data import personal_data_export
from events.privacy import person_erase
from events.stakeholders import contact_add, follow_up_add, interaction_record
from tests.factories import UserFactory


def test_export_and_erasure_cover_contacts_interactions_and_follow_ups(world):
    layla = UserFactory(email="layla@uob.example", full_name="Layla Hassan")
    contact = contact_add(
        stakeholder=world.uni,
        actor=world.staff,
        name="Layla Hassan",
        email="LAYLA@uob.example",
        consent_basis="in_writing",
        consent_given_on=date(2026, 11, 1),
    )
    interaction = interaction_record(
        stakeholder=world.uni,
        actor=world.staff,
        kind="meeting",
        happened_on=date(2026, 12, 1),
        staff=[world.staff],
        contacts=[contact],
        notes="Layla Hassan will share the syllabus. Sara Staff follows up.",
    )
    follow_up_add(
        stakeholder=world.uni, actor=world.staff, title="Syllabus", owner=world.staff, due_on=date(2026, 12, 9)
    )

    data = personal_data_export(user=layla)["data"]
    assert [r["name"] for r in data["events.StakeholderContact"]] == ["Layla Hassan"]
    assert [r["id"] for r in data["events.Interaction"]] == [interaction.pk]
    staff_data = personal_data_export(user=world.staff)["data"]
    assert staff_data["events.Interaction"][0]["staff"] == [world.staff.pk]
    assert len(staff_data["events.FollowUp"]) == 1

    person_erase(user=layla, by=layla)
    assert not StakeholderContact.objects.exists()
    interaction.refresh_from_db()
    assert "Layla Hassan" not in interaction.notes and "Sara Staff" in interaction.notes

    person_erase(user=world.staff, by=world.staff)
    interaction.refresh_from_db()
    assert interaction.recorded_by is None and not interaction.staff.exists()
    assert "Sara Staff" not in interaction.notes
    assert FollowUp.objects.get().owner is None
    assert Interaction.objects.count() == 1
