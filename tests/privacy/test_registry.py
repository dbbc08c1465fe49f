"""The registry of personal data covers every model that points at a person."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from events.personal_data import ENTRIES, NOT_PERSONAL, active_entries

# A person's own rows: whatever points at one of these is about that person.
PERSONAL_TARGETS = {get_user_model()._meta.label, "events.Registration", "checkin.Ticket", "matching.CandidateProfile"}


def _points_at_a_person(model) -> bool:
    for field in model._meta.get_fields():
        if not field.concrete:
            continue
        target = field.related_model if field.is_relation else None
        if target is not None and target._meta.label in PERSONAL_TARGETS:
            return True
        # An email address names a person as surely as a foreign key (the email ledger has no key).
        if type(field).__name__ == "EmailField":
            return True
    return False


def test_every_model_that_points_at_a_person_is_exported_or_declared_not_personal():
    declared = {entry.label for entry in ENTRIES} | set(NOT_PERSONAL)
    models = apps.get_models(include_auto_created=True)
    # Django's and django-q2's own tables are in the walk too.
    assert {"admin.LogEntry", "sessions.Session", "django_q.Task"} <= {m._meta.label for m in models}
    missing = sorted(m._meta.label for m in models if _points_at_a_person(m) and m._meta.label not in declared)
    assert missing == [], (
        "Declare these in events/personal_data.py: an Entry (export and erasure) or NOT_PERSONAL with a reason"
    )


def test_the_walk_finds_a_model_that_points_at_a_person():
    # Guards the walk itself: these are known to point at a person.
    labels = {m._meta.label for m in apps.get_models(include_auto_created=True) if _points_at_a_person(m)}
    assert {"events.Registration", "matching.Lead", "checkin.Scan", "events.EmailLedger", "admin.LogEntry"} <= labels


def test_every_declared_model_exists_and_is_declared_once():
    labels = [entry.label for entry in active_entries()]
    assert len(labels) == len(set(labels))
    installed = {m._meta.label for m in apps.get_models(include_auto_created=True)}
    stale = sorted(
        label
        for label in [*labels, *NOT_PERSONAL]
        if label.split(".")[0] in apps.app_configs and label not in installed
    )
    assert stale == []
    assert not set(labels) & set(NOT_PERSONAL)


def test_every_reason_and_purpose_is_written_out():
    assert all(len(reason) > 20 for reason in NOT_PERSONAL.values())
    assert all(len(str(entry.what)) > 20 for entry in ENTRIES)
