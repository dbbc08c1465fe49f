"""`manage.py erase_person EMAIL [--dry-run]`: anonymise one person everywhere (GDPR erasure).

Organisers run it for requests that arrive by letter or email; people erase themselves on their
privacy page or with POST /api/v1/me/erasure. See docs/privacy.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from events import privacy
from events.exceptions import EventsError
from events.models import User


class Command(BaseCommand):
    help = "Erase a person: their account becomes an anonymous tombstone; counts and totals stay."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's email address.")
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be erased.")

    def handle(self, *args: Any, email: str, dry_run: bool, **options: Any) -> None:
        email = email.strip()
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is None:
            raise CommandError(_("No person with the email address %(email)r.") % {"email": email})
        if user.erased_at is not None:
            raise CommandError(_("This account has already been erased."))
        if dry_run:
            report = privacy.person_erase_preview(user=user)
            self.stdout.write(_("Would erase person #%(id)d, with these records:") % {"id": user.pk})
        else:
            try:
                report = privacy.person_erase(user=user, by=None)
            except EventsError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(_("Erased person #%(id)d; records changed:") % {"id": user.pk})
        for label, count in report.counts.items():
            self.stdout.write(f"  {label}: {count}")
