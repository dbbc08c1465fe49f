"""A paired phone's "last seen" is the time of its last scan, to the minute: written by the scan
endpoint at most once a minute, never by the phone's reads."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from checkin import services
from checkin.models import ScannerDevice


def _seen(device: ScannerDevice):
    return ScannerDevice.objects.get(pk=device.pk).last_seen_at


def test_reads_leave_no_trace_and_scans_are_recorded_once_a_minute(live, api_client, payload_of):
    device, raw = services.device_create(event=live.event, name="Gate 1", created_by=live.organiser)
    phone = api_client(raw)
    for path in ("/api/v1/checkin/ping", f"/api/v1/checkin/events/{live.event.slug}/counts"):
        assert phone.get(path).status_code == 200
    assert _seen(device) is None

    scan = {"event": live.event.slug, "payload": payload_of(live.candidate, live.event), "gate": "Main"}
    assert phone.post("/api/v1/checkin/scan", scan).status_code == 201
    first = _seen(device)
    assert first is not None and timezone.now() - first < timedelta(seconds=5)
    # Within the minute a second scan writes nothing more.
    assert (
        phone.post("/api/v1/checkin/scan", {**scan, "payload": payload_of(live.employer_a, live.event)}).status_code
        == 201
    )
    assert _seen(device) == first

    ScannerDevice.objects.filter(pk=device.pk).update(last_seen_at=first - timedelta(minutes=2))
    assert (
        phone.post("/api/v1/checkin/scan", {**scan, "payload": payload_of(live.employer_b, live.event)}).status_code
        == 201
    )
    assert _seen(device) > first


def test_device_seen_compares_the_time_it_was_loaded_with():
    now = timezone.now()
    device = ScannerDevice(pk=None, last_seen_at=now - timedelta(seconds=59))
    assert services.device_seen(device=device, now=now) is False
    assert device.last_seen_at == now - timedelta(seconds=59)
