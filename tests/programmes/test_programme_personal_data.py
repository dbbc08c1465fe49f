"""A rapporteur's personal data: exported, and their name taken off the programme's record on erasure."""

from __future__ import annotations

from events import actions
from events.models import ActionItem, ActionItemUpdate, Minutes
from events.personal_data import personal_data_export
from events.privacy import person_erase


def test_minutes_and_action_history_are_exported_and_erasure_keeps_the_record_without_the_name(prog, actors):
    actions.action_update(
        item_id=prog.public_item.pk, actor=prog.rapporteur, fields={"status": "agreed"}, comment="Agreed in Vilnius"
    )
    exported = personal_data_export(user=prog.rapporteur)
    text = str(exported)
    assert "Agreed in Vilnius" in text and str(Minutes.objects.get(session=prog.session).pk) in text

    person_erase(user=prog.rapporteur, by=actors.organiser)
    minutes = Minutes.objects.get(session=prog.session)
    assert minutes.rapporteur_id is None
    entry = ActionItemUpdate.objects.get(comment="Agreed in Vilnius")
    assert entry.author_id is None and ActionItem.objects.get(pk=prog.public_item.pk).status == "agreed"
