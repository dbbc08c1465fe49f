"""`GET /api/v1/registrations/{id}` hands integrations the ticket payload and a QR PNG that decodes to it."""

from __future__ import annotations

import io

import zxingcpp
from django.test import Client
from PIL import Image

from events.models import Registration


def test_registration_api_returns_payload_and_absolute_qr_url_that_decodes(actors, api_client, token_for):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    body = api_client(token_for(actors.candidate)).get(f"/api/v1/registrations/{registration.pk}").json()
    assert body["ticket_payload"].startswith("EE1.")
    assert body["qr_url"] == f"http://testserver/checkin/tickets/{registration.pk}.png"
    client = Client()
    client.force_login(actors.candidate)
    png = client.get(body["qr_url"].removeprefix("http://testserver")).content
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [body["ticket_payload"]]


def test_registration_without_a_seat_has_no_ticket(actors, api_client, token_for):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    registration.status = Registration.Status.WAITLISTED
    registration.save()
    body = api_client(token_for(actors.candidate)).get(f"/api/v1/registrations/{registration.pk}").json()
    assert body["ticket_payload"] is None and body["qr_url"] is None
