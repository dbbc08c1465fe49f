"""The hourly django-q2 job that sends questionnaire reminders (events.questionnaire_links).

A migration rather than a setup step, so every installation has it after `migrate`. Hourly: a
reminder is due some days after a link was sent, and an hour late is soon enough.
"""

from django.db import migrations

NAME = "questionnaire-reminders"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "events.questionnaire_links.questionnaire_reminders_send",
            "schedule_type": "H",
            "repeats": -1,
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0012_questionnaires"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
