"""The daily django-q2 job that erases people whose every event has passed its personal-data date.

A migration rather than a setup step, so every installation has it after `migrate`.
"""

from django.db import migrations

NAME = "personal-data-retention"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME, defaults={"func": "events.tasks.retention_sweep", "schedule_type": "D", "repeats": -1}
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_trust"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
