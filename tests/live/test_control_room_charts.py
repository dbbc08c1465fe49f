"""The control room draws arrivals by gate, by role and per five minutes on the server, as SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import RegistrationFactory, UserFactory
from tests.live.conftest import scan_in

pytestmark = pytest.mark.django_db

NS = {"svg": "http://www.w3.org/2000/svg"}


def _client(user=None, language: str | None = None) -> Client:
    client = Client(headers={"accept-language": language} if language else {})
    if user is not None:
        client.force_login(user)
    return client


def _chart(html: str, chart_id: str) -> ET.Element:
    found = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert found, f"no chart {chart_id}"
    return ET.fromstring(found.group(0))


def _values(svg: ET.Element) -> dict[str, str]:
    return {g.get("data-key"): g.find("svg:text[@class='value']", NS).text for g in svg.findall("svg:g", NS)}


def test_control_room_draws_arrivals_by_gate_and_role_from_real_scans(fair):
    other = UserFactory(email="amira@example.org", full_name="Amira")
    RegistrationFactory(event=fair.event, user=other)
    for user, gate in ((fair.candidate, "North"), (other, "North"), (fair.employer_a, "البوابة الجنوبية")):
        assert scan_in(fair, user, gate=gate).status == 201

    html = _client(fair.organiser).get("/events/job-fair/control").content.decode()

    gates = _chart(html, "chart-gate")
    assert gates.get("role") == "img"
    assert _values(gates) == {"North": "2", "البوابة الجنوبية": "1"}
    assert gates.find("svg:desc", NS).text == "North: 2, البوابة الجنوبية: 1"
    roles = _chart(html, "chart-role")
    assert _values(roles) == {"candidate": "2", "employer": "1"}
    # A role reads in words, in the roles' own order.
    assert [g.get("data-label") for g in roles.findall("svg:g", NS)] == ["Candidate", "Employer representative"]
    # The old markup drew bars with style="" attributes, which the Content-Security-Policy throws away.
    assert 'style="' not in html


def test_arrivals_per_five_minutes_keep_the_empty_slots_between_and_name_them_as_pushed(fair):
    now = timezone.now()
    scan_in(fair, fair.candidate, gate="North", at=now - timedelta(minutes=21))
    scan_in(fair, fair.employer_a, gate="North", at=now - timedelta(minutes=1))

    html = _client(fair.organiser).get("/events/job-fair/control/arrivals").content.decode()
    slots = _chart(html, "chart-time").findall("svg:g", NS)

    assert 5 <= len(slots) <= 6  # 21 minutes apart: the first slot, three or four empty ones, the last
    heights = [float(g.find("svg:rect", NS).get("height")) for g in slots]
    assert heights[0] == heights[-1] > 0 and set(heights[1:-1]) == {0.0}
    # Keyed as the check-in counts name their slots (ISO, in the event's zone), so pushes find their bar.
    from checkin.selectors import counts_snapshot

    pushed = {b["start"] for b in counts_snapshot(event=fair.event)["per_5_minutes"]}
    assert pushed == {slots[0].get("data-key"), slots[-1].get("data-key")}
    first = datetime.fromisoformat(slots[0].get("data-key"))
    assert first.utcoffset() == fair.event.tzinfo.utcoffset(first)


def test_before_anyone_arrives_each_chart_says_so(fair):
    html = _client(fair.organiser).get("/events/job-fair/control").content.decode()
    for chart_id in ("chart-gate", "chart-role", "chart-time"):
        assert _chart(html, chart_id).find("svg:desc", NS).text == "No arrivals yet"


def test_the_charts_are_for_organisers_only(fair):
    scan_in(fair, fair.candidate, gate="North")
    assert _client().get("/events/job-fair/control/arrivals").status_code == 302
    for user in (fair.employer_a, fair.candidate, fair.volunteer):
        assert _client(user).get("/events/job-fair/control/arrivals").status_code == 403
    assert _client(fair.organiser).get("/events/nope/control/arrivals").status_code == 404


def test_in_arabic_the_charts_read_right_to_left_in_arabic(fair):
    scan_in(fair, fair.candidate, gate="North")
    client = _client(fair.organiser)
    client.cookies["django_language"] = "ar"
    html = client.get("/events/job-fair/control/arrivals").content.decode()
    gates = _chart(html, "chart-gate")
    assert gates.get("direction") == "rtl"
    assert gates.find("svg:title", NS).text == "الوافدون حسب البوابة"
    roles = _chart(html, "chart-role")
    assert [g.get("data-label") for g in roles.findall("svg:g", NS)] == ["مرشّح"]
