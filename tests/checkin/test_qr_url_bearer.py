"""The API's `qr_url` opens with the bearer token that read it: the person's own or an organiser's; others 404."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from events.models import Registration


def _decoded(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("who", ["candidate", "organiser"])
def test_the_token_that_read_qr_url_fetches_the_image(actors, api_client, token_for, who):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    token = token_for(getattr(actors, who))
    body = api_client(token).get(f"/api/v1/registrations/{registration.pk}").json()

    response = Client().get(
        body["qr_url"].removeprefix("http://testserver"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert _decoded(response.content) == [body["ticket_payload"]]


def test_other_tokens_a_bad_token_and_nobody_get_404_even_with_a_session(actors, token_for):
    registration = Registration.objects.get(user=actors.candidate, event=actors.event)
    url = f"/checkin/tickets/{registration.pk}.png"
    for header in (
        f"Bearer {token_for(actors.employer_a)}",
        f"Bearer {token_for(actors.outsider)}",
        "Bearer not-a-token",
        "Bearer ąčę",
        "Basic abc",
        "Bearer",
    ):
        assert Client().get(url, headers={"Authorization": header}).status_code == 404, header
    assert Client().get(url).status_code == 404
    # A header is judged alone: the candidate's own session cannot stand in for a bad token.
    client = Client()
    client.force_login(actors.candidate)
    assert client.get(url, headers={"Authorization": "Bearer not-a-token"}).status_code == 404
    assert client.get(url).status_code == 200
