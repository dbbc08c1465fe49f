"""python manage.py import_registrations EVENT FILE.csv [--dry-run]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from events.imports import COLUMNS, ImportReport, registrations_import
from events.models import Event


class Command(BaseCommand):
    help = (
        "Import registrations for an event from a CSV file with a header row. Columns: "
        + ", ".join(COLUMNS)
        + " (name and email required). Every bad row is reported; nothing is imported if any row is bad. "
        "Rows are written in short batches, so the door and the site keep working during a large import; "
        "--dry-run only reads. Consent columns are never applied: people give consent themselves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event", help="The event's slug.")
        parser.add_argument("file", help="The CSV file, or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; change nothing.")
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Show a progress bar on stderr (default: when stderr is a terminal).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(_("No event with the slug “%(slug)s”.") % {"slug": options["event"]})
        data = self._read(options["file"])
        # One process, one connection. With CONN_MAX_AGE=0 django-q2 closes and reopens the connection
        # for every email it queues after the commit, and on SQLite each close checkpoints the WAL:
        # 1,000 rows took 81 s that way and 13 s with the connection kept.
        for connection in connections.all():
            connection.settings_dict["CONN_MAX_AGE"] = None
        show_progress = options["progress"] if options["progress"] is not None else sys.stderr.isatty()
        report = registrations_import(
            event=event, data=data, dry_run=options["dry_run"], progress=self._bar if show_progress else None
        )
        if show_progress and report.rows:
            self.stderr.write("")
        self._print(report, event)
        if not report.ok:
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported.") % {"count": len(report.errors)}, returncode=1
            )
        if report.skipped:
            raise CommandError(
                _("%(count)s row(s) could not be imported (see above); the others were.")
                % {"count": len(report.skipped)},
                returncode=1,
            )

    def _read(self, name: str) -> bytes:
        if name == "-":
            return sys.stdin.buffer.read()
        path = Path(name)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": name, "reason": exc.strerror}) from exc

    def _bar(self, done: int, total: int) -> None:
        # Redraw at most a hundred times: a terminal (or a log) need not see every row.
        if done != total and done % max(1, total // 100):
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        # \r redraws the same line; the final newline comes after the import.
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
        if done == total:
            # Committing and queuing one email per person comes next, and takes a while on SQLite.
            self.stderr.write(" " + _("saving and queuing emails…"), ending="")
        self.stderr.flush()

    def _print(self, report: ImportReport, event: Event) -> None:
        for error in [*report.errors, *report.skipped]:
            self.stderr.write(str(error))
        if not report.ok:
            return
        if report.consents_ignored:
            self.stderr.write(
                _(
                    "The consent columns said yes on %(count)s row(s) and were not applied: only the person can "
                    "give consent, signed in, on their own page."
                )
                % {"count": report.consents_ignored}
            )
        values = {
            "registered": report.registered,
            "waitlisted": report.waitlisted,
            "organisations": report.organisations_created,
            "event": event.title,
        }
        if report.dry_run:
            message = _(
                "Dry run: %(registered)s would be registered and %(waitlisted)s waitlisted for %(event)s, "
                "%(organisations)s new organisation(s). Nothing was changed."
            )
        else:
            message = _(
                "Imported into %(event)s: %(registered)s registered, %(waitlisted)s waitlisted, "
                "%(organisations)s new organisation(s)."
            )
        self.stdout.write(self.style.SUCCESS(message % values))
