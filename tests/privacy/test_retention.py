"""Retention: people whose every event has passed its personal-data date are erased; staff never."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from events import privacy
from events.models import Event, Registration, User
from events.tasks import retention_sweep
from tests.factories import EventFactory, RegistrationFactory, UserFactory


def _past_event(days_ago: int, **fields) -> Event:
    ends = timezone.now() - timedelta(days=days_ago)
    return EventFactory(starts_at=ends - timedelta(hours=8), ends_at=ends, **fields)


def test_default_retention_is_twelve_months_after_the_event_ends_in_its_own_zone(db):
    event = EventFactory(timezone="Asia/Baghdad")
    Event.objects.filter(pk=event.pk).update(
        starts_at=datetime(2026, 2, 28, 18, tzinfo=UTC),
        ends_at=datetime(2026, 2, 28, 22, tzinfo=UTC),  # 1 March, 01:00 in Baghdad
    )
    event.refresh_from_db()
    assert privacy.kept_until(event) == date(2027, 3, 1)
    event.personal_data_kept_until = date(2026, 6, 30)
    assert privacy.kept_until(event) == date(2026, 6, 30)


def test_only_people_whose_every_event_has_passed_are_due(db):
    old = _past_event(400)
    recent = _past_event(10)
    kept_short = _past_event(10, personal_data_kept_until=timezone.localdate() - timedelta(days=1))
    gone = UserFactory(email="gone@example.org")
    RegistrationFactory(event=old, user=gone)
    also_gone = UserFactory(email="short@example.org")
    RegistrationFactory(event=kept_short, user=also_gone)
    mixed = UserFactory(email="mixed@example.org")
    RegistrationFactory(event=old, user=mixed)
    RegistrationFactory(event=recent, user=mixed)
    staff = UserFactory(email="staff@example.org", is_staff=True)
    RegistrationFactory(event=old, user=staff)
    door = UserFactory(email="door@example.org")
    RegistrationFactory(event=old, user=door, role=Registration.Role.STAFF)
    UserFactory(email="no-events@example.org")

    due = {u.email for u in privacy.retention_due()}
    assert due == {"gone@example.org", "short@example.org"}


def test_the_daily_task_erases_the_due_and_can_run_twice(db):
    old = _past_event(400)
    gone = UserFactory(email="gone@example.org", full_name="Gone Person")
    RegistrationFactory(event=old, user=gone)
    assert retention_sweep() == 1
    assert retention_sweep() == 0
    gone.refresh_from_db()
    assert gone.erased_at is not None and gone.email == f"erased-{gone.pk}@erased.invalid"
    assert Registration.objects.filter(event=old).count() == 1


def test_retention_command_dry_run_lists_and_changes_nothing(db, capsys):
    old = _past_event(400)
    RegistrationFactory(event=old, user=UserFactory(email="gone@example.org"))
    call_command("retention", "--dry-run")
    assert "gone@example.org" in capsys.readouterr().out
    assert User.objects.filter(email="gone@example.org").exists()

    call_command("retention")
    assert not User.objects.filter(email="gone@example.org").exists()


def test_the_daily_schedule_exists_after_migrate(db):
    schedule = Schedule.objects.get(name="personal-data-retention")
    assert schedule.func == "events.tasks.retention_sweep"
    assert schedule.schedule_type == Schedule.DAILY


def test_organisers_set_the_retention_date_through_the_api(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    url = f"/api/v1/events/{actors.event.slug}"
    response = client.patch(url, {"personal_data_kept_until": "2027-06-30"})
    assert response.status_code == 200
    assert response.json()["personal_data_kept_until"] == "2027-06-30"
    actors.event.refresh_from_db()
    assert actors.event.personal_data_kept_until == date(2027, 6, 30)

    for garbage in (0, "tomorrow", "1800-01-01", True):
        bad = client.patch(url, {"personal_data_kept_until": garbage})
        assert bad.status_code == 422, garbage
        assert bad.json()["reason"] == "validation"

    assert api_client(token_for(actors.candidate)).patch(url, {"personal_data_kept_until": None}).status_code == 403
    assert client.patch(url, {"personal_data_kept_until": None}).json()["personal_data_kept_until"] is None


def test_organisers_set_the_retention_date_in_the_admin(actors, client):
    client.force_login(User.objects.create_superuser("root@example.org", "pass-word-123"))
    page = client.get(f"/admin/events/event/{actors.event.pk}/change/")
    assert page.status_code == 200
    assert 'name="personal_data_kept_until"' in page.content.decode()
