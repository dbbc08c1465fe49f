"""The same ticket at two gates at the same moment, in two server processes: exactly one check-in."""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from urllib.parse import quote

import pytest
from django.db import connection

from checkin.models import Scan, Ticket
from tests.checkin.race_worker import scan_at_gate
from tests.conftest import requires_postgres
from tests.factories import RegistrationFactory

ROUNDS = 6


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(s["NAME"])
    auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _race(live, payload_of) -> None:
    payloads = []
    for _ in range(ROUNDS):
        registration = RegistrationFactory(event=live.event)
        payloads.append(payload_of(registration.user, live.event))
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(
            target=scan_at_gate,
            args=(_database_url(), live.event.slug, live.volunteer.pk, gate, payloads, barrier, out),
        )
        for gate in ("North", "South")
    ]
    for w in workers:
        w.start()
    results = [out.get(timeout=120) for _ in range(2 * ROUNDS)]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    by_payload = defaultdict(list)
    for payload, gate, status, answer in results:
        by_payload[payload].append((status, answer, gate))
    for payload, answers in by_payload.items():
        assert sorted((s, a) for s, a, _g in answers) == [(200, "already_checked_in"), (201, "ok")], answers
        winner = next(g for s, _a, g in answers if s == 201)
        ticket = Ticket.objects.get(code=payload.split(".")[2])
        assert ticket.inside and ticket.first_in_gate == winner
        assert Scan.objects.filter(ticket=ticket, result="ok").count() == 1


@pytest.mark.django_db(transaction=True)
def test_same_ticket_at_two_gates_in_two_processes_checks_in_once_sqlite(live, payload_of):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite run")
    _race(live, payload_of)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_same_ticket_at_two_gates_in_two_processes_checks_in_once_postgres(live, payload_of):
    assert connection.vendor == "postgresql"
    _race(live, payload_of)
