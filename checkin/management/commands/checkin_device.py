"""Pair a scanner phone with an event from the command line: prints the pairing link once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from checkin import selectors, services
from events.models import Event, User


class Command(BaseCommand):
    help = "Issue a scanner device token for one event (or --revoke ID) and print its pairing link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("event", help="The event's slug.")
        parser.add_argument("name", nargs="?", default="Scanner", help="A name to tell devices apart.")
        parser.add_argument("--by", help="Email of the organiser issuing it (recorded).")
        parser.add_argument("--revoke", type=int, help="Revoke the device with this id instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(f"No event with slug {options['event']!r}.")
        if options["revoke"]:
            device = event.scanner_devices.filter(pk=options["revoke"]).first()
            if device is None:
                raise CommandError("No such device at this event.")
            services.device_revoke(device=device)
            self.stdout.write(f"Revoked device {device.pk} ({device.name}).")
            return
        by = User.objects.filter(email=(options["by"] or "").lower()).first() if options["by"] else None
        device, raw = services.device_create(event=event, name=options["name"], created_by=by)
        self.stdout.write(f"Device {device.pk} ({device.name}) for {event.slug}. Open on the phone (shown once):")
        self.stdout.write(selectors.pair_url(event, raw))
