"""events/invites.py became events/calendar_mail.py: stored django-q2 schedules follow the new path.

Tasks already queued under the old path fail once when the cluster picks them up; a calendar email
whose `deliver` task is lost that way is sent by the retry sweep (its ledger row stays due).
"""

from django.db import migrations

OLD, NEW = "events.invites.", "events.calendar_mail."


def rename(apps, schema_editor, old=OLD, new=NEW):
    Schedule = apps.get_model("django_q", "Schedule")
    for schedule in Schedule.objects.filter(func__startswith=old):
        schedule.func = new + schedule.func.removeprefix(old)
        schedule.save(update_fields=["func"])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_retention_schedule"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
