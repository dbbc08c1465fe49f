"""Issue the ticket of every seated registration that has none: repairs a ticket whose issuing after
its seat's commit failed (the registration page then says the ticket is being prepared)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from checkin import services
from events.models import Event


class Command(BaseCommand):
    help = "Issue the missing tickets of seated registrations (one event's with --event SLUG). Safe to run any time."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--event", help="Only this event (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        event = None
        if options["event"]:
            event = Event.objects.filter(slug=options["event"]).first()
            if event is None:
                raise CommandError(f"No event with slug {options['event']!r}.")
        issued = services.tickets_backfill(event=event)
        self.stdout.write(f"{issued} tickets issued.")
