"""python manage.py export_registrations EVENT [--output FILE.csv] [--status registered,waitlisted]"""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from events.exports import registrations_for_export, write_registrations_csv
from events.models import Event, Registration


class Command(BaseCommand):
    help = "Export an event's registrations as CSV (the import's columns plus status and registered_at)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event", help="The event's slug.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")
        parser.add_argument(
            "--status",
            help="Only these statuses, comma-separated: " + ", ".join(Registration.Status.values),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(_("No event with the slug “%(slug)s”.") % {"slug": options["event"]})
        statuses = [s.strip() for s in (options["status"] or "").split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Registration.Status.values]
        if unknown:
            raise CommandError(_("Unknown status: %(statuses)s") % {"statuses": ", ".join(unknown)})
        registrations = registrations_for_export(event=event, statuses=statuses)
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="") as out:
                    count = write_registrations_csv(out, registrations)
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(reason)s") % {"file": options["output"], "reason": exc.strerror}
                ) from exc
            self.stderr.write(
                _("%(count)s registration(s) written to %(file)s.") % {"count": count, "file": options["output"]}
            )
        else:
            buffer = io.StringIO()
            write_registrations_csv(buffer, registrations)
            self.stdout.write(buffer.getvalue(), ending="")
