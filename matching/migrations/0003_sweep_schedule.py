"""The every-minute django-q2 sweep that expires meeting requests and frees no-show slots.

A migration rather than only `manage.py matching_schedules`, so every installation has it after
`migrate` without a step someone could forget.
"""

from django.db import migrations


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="matching.sweep",
        defaults={"func": "matching.tasks.sweep", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="matching.sweep").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_load_skills"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
