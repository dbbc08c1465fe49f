from __future__ import annotations

import csv
import io

from matching.models import Opening
from tests.factories import RegistrationFactory, UserFactory
from tests.matching.fair_setup import add_candidate, make_opening, make_profile


def _world(actors):
    """Two openings, three candidates, one employer from Iraq and one from Lithuania."""
    make_opening(actors.event, actors.org_a, "Backend", {"python": 3, "sql": 2}, {"docker": 2}, seats=3)
    make_opening(actors.event, actors.org_b, "Analyst", {"sql": 3}, {"python": 2}, seats=2)
    make_opening(actors.event, actors.org_b, "Closed", {"python": 3}, seats=9, is_active=False)
    make_profile(actors.candidate, {"python": 4, "sql": 2})
    add_candidate(actors.event, "b@example.org", {"python": 2})
    # Consent to be shown does not matter for counts: nobody is identified in the report.
    add_candidate(actors.event, "c@example.org", {"sql": 5, "docker": 3}, consent=False)
    # A profile of somebody at another event is outside this event's supply.
    stranger = UserFactory(email="elsewhere@example.org")
    RegistrationFactory(user=stranger)
    make_profile(stranger, {"python": 5})


def test_gap_report_numbers_on_a_known_dataset(actors, client):
    _world(actors)
    client.force_login(actors.organiser)
    body = client.get("/api/v1/matching/events/job-fair/gap-report").json()
    rows = {r["skill"]: r for r in body["skills"]}
    # python: required 3 seats (3.0) + nice 2 seats (0.5 x 2 = 1.0); supply 2 (levels 4, 2), qualified 1.
    assert (rows["python"]["demand"], rows["python"]["supply"], rows["python"]["supply_qualified"]) == (4.0, 2, 1)
    assert rows["python"]["gap"] == 3.0 and rows["python"]["average_level"] == 3.0
    # sql: required 3 + required 2 = 5; supply levels 2 and 5 -> qualified 1.
    assert (rows["sql"]["demand"], rows["sql"]["supply_qualified"], rows["sql"]["gap"]) == (5.0, 1, 4.0)
    # docker: nice-to-have for 3 seats = 1.5; one qualified -> gap 0.5.
    assert (rows["docker"]["demand"], rows["docker"]["gap"]) == (1.5, 0.5)
    assert [r["skill"] for r in body["skills"]][:3] == ["sql", "python", "docker"]
    groups = {g["group"]: g for g in body["groups"]}
    assert groups["programming"]["demand"] == 4.0 and groups["databases"]["demand"] == 5.0
    lt = {x["skill"]: x["demand"] for x in body["by_country"]["LT"]}
    iq = {x["skill"]: x["demand"] for x in body["by_country"]["IQ"]}
    assert lt == {"python": 3.0, "sql": 3.0, "docker": 1.5}
    assert iq == {"sql": 2.0, "python": 1.0}
    assert Opening.objects.filter(is_active=False).count() == 1


def test_gap_report_page_and_csv(actors, client):
    _world(actors)
    client.force_login(actors.organiser)
    page = client.get("/matching/job-fair/gap-report")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "SQL" in html
    r = client.get("/matching/job-fair/gap-report.csv")
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    sql = next(row for row in rows if row["skill"] == "sql")
    assert (sql["demand"], sql["supply_qualified"], sql["gap"]) == ("5.0", "1", "4.0")


def test_gap_report_is_for_organisers(actors, client):
    _world(actors)
    for user in (actors.employer_a, actors.candidate):
        client.force_login(user)
        assert client.get("/api/v1/matching/events/job-fair/gap-report").status_code == 403
        assert client.get("/matching/job-fair/gap-report").status_code in (403, 404)
