"""The door's statements compiled once (checkin/compiled.py): the ORM internals they rely on are still there,
and they behave as the ORM's own would; the event the door keeps."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler
from django.utils import timezone

from checkin import services
from checkin.compiled import CompiledInsert, CompiledRead, CompiledUpdate
from checkin.door import TICKET_FIELDS
from checkin.models import Scan, Ticket
from checkin.selectors import event_for_scanning
from events.models import Registration
from realtime import generations


def test_the_orm_internals_it_relies_on_are_still_there(db):
    """checkin/compiled.py's docstring lists them: an upgrade that renames or reshapes one fails here."""

    def params(function) -> list[str]:
        return list(inspect.signature(function).parameters)

    assert params(get_related_populators) == ["klass_info", "select", "db"]
    assert params(SQLCompiler.get_converters) == ["self", "expressions"]
    assert params(SQLCompiler.as_sql)[:1] == ["self"]
    assert params(InsertQuery.insert_values)[:3] == ["self", "fields", "objs"]
    assert params(UpdateQuery.add_update_values) == ["self", "values"]
    assert "returning_fields" in params(SQLInsertCompiler.execute_sql)
    from django.db import connection

    assert params(connection.ops.fetch_returned_insert_columns) == ["cursor", "returning_params"]
    # A compiled select describes its columns and the instances to build from them.
    compiler = READ.build("x").query.get_compiler(using="default")
    compiler.as_sql()
    assert {"model", "select_fields", "related_klass_infos"} <= set(compiler.klass_info)
    assert compiler.klass_info["model"] is Ticket and compiler.select
    insert = InsertQuery(Scan)
    insert.insert_values([Scan._meta.get_field("reason")], [Scan(reason="x")])
    assert hasattr(insert.get_compiler(using="default"), "returning_params")


READ = CompiledRead(
    lambda code: (
        Ticket.objects.select_related("registration__user", "registration__organisation")
        .only(*TICKET_FIELDS)
        .filter(code=code)[:1]
    )
)


def _ticket(actors, user):
    return services.ticket_issue(registration=Registration.objects.get(event=actors.event, user=user))


def test_a_compiled_read_gives_what_the_queryset_gives_with_its_related_objects(actors, django_assert_num_queries):
    ticket = _ticket(actors, actors.employer_a)
    orm = Ticket.objects.select_related("registration__user", "registration__organisation").get(pk=ticket.pk)
    for _attempt in range(2):  # compiled on the first call, reused on the second
        with django_assert_num_queries(1):
            read = READ.read(ticket.code, model=Ticket)
            # The related objects came with the row: reading them costs nothing more.
            assert read.registration.user.full_name == orm.registration.user.full_name == "Aistė Employer"
            assert read.registration.organisation.name == "Baltic Code UAB"
        assert (read.pk, read.code, read.version, read.issued_at, read.inside) == (
            orm.pk,
            orm.code,
            orm.version,
            orm.issued_at,
            orm.inside,
        )
        assert timezone.is_aware(read.issued_at)
    # A person without an organisation (a LEFT JOIN's NULLs) and a code nobody holds.
    candidate = READ.read(_ticket(actors, actors.candidate).code, model=Ticket)
    assert candidate.registration.organisation is None
    assert READ.read("NOSUCHCODE", model=Ticket) is None


def test_a_compiled_insert_stores_what_the_orm_would_and_refuses_what_the_database_refuses(actors):
    ticket = _ticket(actors, actors.candidate)
    insert = CompiledInsert(Scan)
    at = timezone.now() - timedelta(minutes=3)
    first = insert.insert(
        Scan(event=actors.event, ticket=ticket, result="ok", client_scan_id="c-1", scanned_at=at, response={"ü": [1]})
    )
    second = insert.insert(Scan(event=actors.event, ticket=None, result="error", client_scan_id="c-2", scanned_at=at))
    assert first.pk and second.pk == first.pk + 1 and not first._state.adding
    stored = Scan.objects.get(pk=first.pk)
    assert (stored.ticket_id, stored.result, stored.scanned_at, stored.response) == (ticket.pk, "ok", at, {"ü": [1]})
    # Fields it was not given have the model's defaults, as with save().
    assert (stored.undoes_id, stored.gate, stored.action, stored.response_status) == (None, "", "scan", 0)
    with pytest.raises(IntegrityError), transaction.atomic():  # the unique (event, client_scan_id)
        insert.insert(Scan(event=actors.event, result="ok", client_scan_id="c-1", scanned_at=at))


def test_a_compiled_update_sets_values_and_nulls_and_counts_rows(actors):
    ticket = _ticket(actors, actors.candidate)
    update = CompiledUpdate(Ticket)
    now = timezone.now()
    assert update.update(ticket.pk, inside=True, first_in_at=now, first_in_gate="North") == 1
    ticket.refresh_from_db()
    assert (ticket.inside, ticket.first_in_at, ticket.first_in_gate) == (True, now, "North")
    # None is written as NULL (another statement than the one with a value there).
    assert update.update(ticket.pk, inside=False, first_in_at=None, first_in_gate="") == 1
    ticket.refresh_from_db()
    assert (ticket.inside, ticket.first_in_at, ticket.first_in_gate) == (False, None, "")
    assert update.update(ticket.pk + 1000, inside=True, first_in_at=now, first_in_gate="x") == 0


def test_the_door_reads_an_event_again_once_it_changed_and_after_the_cache_was_lost(actors, django_assert_num_queries):
    event = event_for_scanning(slug="job-fair")
    with django_assert_num_queries(0):
        assert event_for_scanning(slug="job-fair") is event  # kept
    actors.event.title = "Renamed"
    actors.event.save()
    assert event_for_scanning(slug="job-fair").title == "Renamed"
    kept = event_for_scanning(slug="job-fair")
    # A lost counter (a cleared cache, a restarted Redis) starts above every value it had: no stale
    # copy can match it, even once other changes have counted it up again.
    cache.clear()
    generations._local.clear()  # the same, where the counters are the process's own (in-memory cache)
    actors.event.title = "Changed while the cache was empty"
    type(actors.event).objects.filter(pk=actors.event.pk).update(title=actors.event.title)
    assert event_for_scanning(slug="job-fair") is not kept
    assert event_for_scanning(slug="job-fair").title == "Changed while the cache was empty"


def test_a_change_by_a_process_that_shares_no_cache_reaches_the_door_within_the_max_age(actors, monkeypatch):
    from checkin import selectors

    event_for_scanning(slug="job-fair")
    # A management command or the task worker beside the in-memory cache: no counter seen here.
    type(actors.event).objects.filter(pk=actors.event.pk).update(title="Changed by another process")
    assert event_for_scanning(slug="job-fair").title != "Changed by another process"  # kept, for now
    monkeypatch.setattr(selectors, "EVENT_MAX_AGE", 0.0)
    assert event_for_scanning(slug="job-fair").title == "Changed by another process"
