"""`manage.py retention [--dry-run]`: erase the people whose every event has passed its retention date.

The daily django-q2 schedule `personal-data-retention` does the same (events.tasks.retention_sweep).
Staff and anyone who organised or staffed an event are never erased by it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from events import privacy


class Command(BaseCommand):
    help = "Erase people whose every event has passed 'personal data kept until'; --dry-run lists them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only list who would be erased.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        due = list(privacy.retention_due())
        if dry_run:
            for user in due:
                self.stdout.write(f"#{user.pk}  {user.email}")
            self.stdout.write(_("%(count)d person(s) would be erased.") % {"count": len(due)})
            return
        erased = privacy.retention_erase_due()
        self.stdout.write(_("%(count)d person(s) erased.") % {"count": len(erased)})
