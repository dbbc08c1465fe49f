"""`manage.py seed_programme`: the demo's programme on top of seed_demo, the same after a second run."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from events.models import ActionItem, ActionItemUpdate, Event, Minutes, Programme


def test_seed_programme_needs_the_demo_first(db):
    with pytest.raises(CommandError):
        call_command("seed_programme", stdout=io.StringIO())


def test_the_demo_programme_groups_the_events_with_minutes_and_a_dozen_items_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_programme", stdout=io.StringIO())
    programme = Programme.objects.get(slug="digital-explorers-iraq")
    assert programme.name == "Digital Explorers – Iraq Edition"
    assert set(programme.events.values_list("kind", flat=True)) == {
        Event.Kind.TRAINING,
        Event.Kind.JOB_FAIR,
        Event.Kind.DIALOGUE,
    }
    assert set(programme.partnerships.values_list("country", flat=True)) == {"LT", "IQ", "AT"}
    published = Minutes.objects.filter(session__event__programme=programme, status=Minutes.Status.PUBLISHED)
    assert published.count() == 2 and all(m.rapporteur_id for m in published)
    items = ActionItem.objects.filter(programme=programme)
    assert items.count() == 12
    assert set(items.values_list("status", flat=True)) == {"proposed", "agreed", "in_progress", "done", "dropped"}
    assert set(items.values_list("visibility", flat=True)) == {"public", "officials"}
    before = (items.count(), ActionItemUpdate.objects.count(), Minutes.objects.count())
    out = io.StringIO()
    call_command("seed_programme", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert (items.count(), ActionItemUpdate.objects.count(), Minutes.objects.count()) == before
