"""The person's page shows their ticket QR; the image decodes to the payload; nobody else gets it."""

from __future__ import annotations

import io
import re

import zxingcpp
from django.test import Client
from PIL import Image

from checkin.tickets import parse_payload
from events.models import Registration


def _decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_my_registration_page_shows_a_qr_that_decodes_to_my_ticket(actors):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    client = Client()
    client.force_login(actors.candidate)
    page = client.get(f"/me/registrations/{registration.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    payload = re.search(r"data-ticket-payload>([^<]+)<", html).group(1)
    assert parse_payload(payload).event_id == actors.event.pk
    # No personal data in the payload.
    assert "Zainab" not in payload and "candidate" not in payload.lower()

    png = client.get(f"/checkin/tickets/{registration.pk}.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png["Cache-Control"] == "private, no-store"
    assert _decode(png.content) == [payload]


def test_someone_elses_ticket_image_is_not_found(actors):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    client = Client()
    client.force_login(actors.employer_b)
    assert client.get(f"/checkin/tickets/{registration.pk}.png").status_code == 404
    assert Client().get(f"/checkin/tickets/{registration.pk}.svg").status_code == 404
    assert client.get(f"/checkin/tickets/{2**70}.png").status_code == 404


def test_organisers_can_fetch_any_ticket_image_of_their_event(actors):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    client = Client()
    client.force_login(actors.organiser)
    svg = client.get(f"/checkin/tickets/{registration.pk}.svg")
    assert svg.status_code == 200 and svg.content.startswith(b"<svg")


def test_waitlisted_registration_shows_no_ticket(actors):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    registration.status = Registration.Status.WAITLISTED
    registration.save()
    client = Client()
    client.force_login(actors.candidate)
    html = client.get(f"/me/registrations/{registration.pk}/").content.decode()
    assert "data-ticket-payload" not in html
