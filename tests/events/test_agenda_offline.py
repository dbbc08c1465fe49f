"""The ticket works without a network at the door: the person's page is kept on the phone by a service
worker (served at /sw.js for the whole site), installable with a manifest, and opens offline saying
when it was saved. Signing out empties what was kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.test import Client
from django.utils import timezone
from PIL import Image

from checkin.tickets import parse_payload
from events import services
from events.models import Registration
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.factories import EventFactory, UserFactory
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

SHOTS = "/tmp/explorers-pages"


def test_the_service_worker_is_served_for_the_whole_site(db):
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert b"/me/sign-out/" in response.content and b"/me/registrations/" in response.content
    assert Client().post("/sw.js").status_code == 405


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl"), ("ckb", "rtl")])
def test_the_manifest_installs_the_site_with_png_icons(db, language, direction):
    response = Client().get("/manifest.webmanifest", headers={"Accept-Language": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/me/", "/", "standalone")
    assert (manifest["lang"], manifest["dir"]) == (language, direction)
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        image = Client().get(icon["src"])
        assert image.status_code == 200
        png = Image.open(io.BytesIO(b"".join(image.streaming_content)))
        assert png.format == "PNG" and f"{png.width}x{png.height}" == icon["sizes"]
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


def test_the_ticket_page_links_the_manifest_and_registers_the_worker(db):
    event = EventFactory(slug="offline-fair")
    registration = services.registration_create(
        event=event, email="noor@example.org", full_name="Noor Candidate", by_organiser=True
    )
    client = Client()
    client.force_login(registration.user)
    html = client.get(f"/me/registrations/{registration.pk}/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'data-person="{registration.user_id}"' in html
    assert "js/offline-ticket.js" in html and "Saved on this phone at" in html


@requires_chromium
@pytest.mark.browser
@pytest.mark.e2e
def test_the_ticket_opens_offline_and_its_qr_decodes(daphne):  # noqa: F811
    start = timezone.now() + timedelta(days=2)
    event = EventFactory(
        slug="offline-fair", title="Offline Job Fair", starts_at=start, ends_at=start + timedelta(hours=8)
    )
    registration = services.registration_create(
        event=event, email="noor@example.org", full_name="Noor Candidate", by_organiser=True
    )
    assert registration.status == Registration.Status.REGISTERED
    cookie = session_cookie(registration.user).decode().split("=", 1)[1]
    url = f"{daphne.url}/me/registrations/{registration.pk}/"

    with phone_page() as page:
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": daphne.url}])
        page.goto(url)
        payload = page.text_content("[data-ticket-payload]").strip()
        wait_for_js(page, "navigator.serviceWorker.controller !== null")
        # Controlled now: this visit goes through the worker, which keeps the page.
        page.reload()
        wait_for_js(
            page, "caches.open('ticket-pages-v1').then((c) => c.match(location.pathname)).then((r) => r !== undefined)"
        )
        saved_online = page.text_content("[data-saved-at]")

        page.context.set_offline(True)
        page.reload()
        assert page.is_visible("[data-offline]")
        assert page.is_visible("[data-saved-at]")
        saved_offline = page.text_content("[data-saved-at]")
        page.screenshot(path=f"{SHOTS}-offline-ticket.png", full_page=True)
        qr_png = page.locator(".ck-ticket-qr").screenshot()
        # Nothing else was kept: another page of the site does not open offline.
        others = page.evaluate(
            "caches.open('ticket-pages-v1').then((c) => c.keys()).then((ks) => ks.map((k) => new URL(k.url).pathname))"
        )

        # Signing out (online) empties what was kept.
        page.context.set_offline(False)
        page.reload()
        page.click("footer form button[type=submit]")
        page.wait_for_load_state()
        kept_after_sign_out = wait_for_js(
            page, "caches.keys().then((names) => names.includes('ticket-pages-v1') ? 'kept' : 'gone')"
        )

    assert "Saved on this phone at" in saved_offline and saved_offline == saved_online
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png)))]
    assert decoded == [payload]
    assert parse_payload(payload).event_id == event.pk
    assert others == [f"/me/registrations/{registration.pk}/"]
    assert kept_after_sign_out == "gone"


def test_other_peoples_pages_are_never_kept(db):
    # The worker keeps only 200 answers of /me/registrations/<id>/, which only their owner gets.
    owner = services.registration_create(
        event=EventFactory(slug="owned-fair"), email="owner@example.org", full_name="Owner", by_organiser=True
    )
    stranger = Client()
    stranger.force_login(UserFactory(email="stranger@example.org"))
    assert stranger.get(f"/me/registrations/{owner.pk}/").status_code == 404
