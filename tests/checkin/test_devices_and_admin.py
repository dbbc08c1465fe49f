"""Organisers pair scanner phones (API and command line), list and revoke them; the admin shows the log."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client

from checkin.models import ScannerDevice


def test_organiser_pairs_lists_and_revokes_a_device_over_the_api(live, api_client):
    organiser = Client()
    organiser.force_login(live.organiser)
    created = organiser.post(
        f"/api/v1/checkin/events/{live.event.slug}/devices", {"name": "Gate 1"}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["pair_url"] == f"http://testserver/checkin/{live.event.slug}/scan#device={body['token']}"
    device = ScannerDevice.objects.get(pk=body["id"])
    assert device.key_hash != body["token"] and body["token"] not in device.key_hash
    phone = api_client(body["token"])
    assert phone.get(f"/api/v1/checkin/events/{live.event.slug}/scanner").status_code == 200
    listed = organiser.get(f"/api/v1/checkin/events/{live.event.slug}/devices").json()["items"]
    assert [d["name"] for d in listed] == ["Gate 1"] and "token" not in listed[0]
    assert organiser.delete(f"/api/v1/checkin/devices/{device.pk}").status_code == 200
    assert phone.get(f"/api/v1/checkin/events/{live.event.slug}/scanner").status_code == 401
    # Door staff cannot hand out devices.
    door = Client()
    door.force_login(live.volunteer)
    assert door.post(f"/api/v1/checkin/events/{live.event.slug}/devices", {"name": "x"}).status_code == 403


def test_command_line_pairing_prints_a_link_once(live):
    out = io.StringIO()
    call_command("checkin_device", live.event.slug, "Back door", "--by", "organiser@example.org", stdout=out)
    link = out.getvalue().strip().splitlines()[-1]
    assert link.startswith(f"http://testserver/checkin/{live.event.slug}/scan#device=eed_")
    device = ScannerDevice.objects.get(name="Back door")
    assert device.created_by == live.organiser
    call_command("checkin_device", live.event.slug, "--revoke", str(device.pk), stdout=io.StringIO())
    device.refresh_from_db()
    assert device.revoked_at is not None


def test_admin_shows_the_scan_log_read_only(live, payload_of):
    from checkin import services
    from checkin.selectors import event_for_scanning

    services.checkin_scan(
        event=event_for_scanning(slug="job-fair"), payload=payload_of(live.candidate, live.event), user=live.organiser
    )
    live.organiser.is_superuser = True
    live.organiser.save()
    client = Client()
    client.force_login(live.organiser)
    page = client.get("/admin/checkin/scan/")
    assert (page.status_code == 200 and "job-fair" in page.content.decode().lower()) or "Fair" in page.content.decode()
    assert client.get("/admin/checkin/scan/add/").status_code == 403
    log = client.get("/checkin/job-fair/log/")
    assert log.status_code == 200 and "Zainab Candidate" in log.content.decode()
