# Self-declared gender and city on registrations (issue 14: the programme indicators' breakdowns).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0013_questionnaire_reminder_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[
                    ("woman", "Woman"),
                    ("man", "Man"),
                    ("another", "Another gender"),
                    ("prefer_not", "Prefer not to say"),
                ],
                default="",
                max_length=16,
                verbose_name="gender (self-declared)",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="city",
            field=models.CharField(blank=True, max_length=100, verbose_name="city (self-declared)"),
        ),
    ]
