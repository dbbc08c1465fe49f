"""Periodic django-q2 jobs for calendars: reminders before sessions and retries of failed calendar emails."""

from django.db import migrations

SCHEDULES = [
    ("calendar-reminders", "events.reminders.send_due_reminders"),
    ("calendar-delivery-retries", "events.invites.retry_due_deliveries"),
]


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func in SCHEDULES:
        # Every five minutes: a reminder is at most five minutes late.
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": "I", "minutes": 5, "repeats": -1}
        )


def remove(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=[name for name, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_calendar"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
