"""`manage.py matching_schedules`: register the every-minute matching sweep with django-q2. Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_q.models import Schedule


class Command(BaseCommand):
    help = "Create (or update) the django-q2 schedule that expires requests and frees no-show slots."

    def handle(self, *args: object, **options: object) -> None:
        Schedule.objects.update_or_create(
            name="matching.sweep",
            defaults={"func": "matching.tasks.sweep", "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
        )
        self.stdout.write("matching.sweep scheduled every minute")
