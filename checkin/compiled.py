"""The door's three statements, compiled by the ORM once per process and database, then run with new values.

The one place the project reaches into the ORM's internals, because the public API does not serve
here: Django builds and compiles a statement's SQL anew every time, and for the statements every
door scan runs (the locked ticket read with its three joins, the audit row's insert, the ticket's
update) that compiling is most of their cost. With plain querysets the door's server CPU per scan
rose by about 1 ms and its cost ratio to the trivial endpoint from about 1.9x to 2.3x, past the 2x
target (docs/checkin.md, "Measured", 2026-12-05: the same bench both ways, same session). The ORM
still writes each statement's SQL, for this database's vendor; values are prepared by the fields
themselves (`get_db_prep_save`), and rows become instances through the ORM's own converters,
`Model.from_db` and select_related populators, as `QuerySet.__iter__` would.

- `CompiledRead`: single-row reads by one value whose SQL does not depend on it (no `IN` lists).
- `CompiledInsert`: one row of plain values in every field; its primary key comes back with `RETURNING` where the
  database can (SQLite 3.35+, PostgreSQL), else the ORM's own `save()` is used. No model signals.
- `CompiledUpdate`: `UPDATE ... SET <fields> WHERE pk = ...` with plain values. No model signals.

It relies on these Django (5.2) internals, pinned by tests/checkin/test_door_statements.py so that an
upgrade that changes them fails there: `Query.get_compiler(using=)` and `SQLCompiler.as_sql()`; a
compiled select's `klass_info` (`model`, `select_fields`), `select` and `get_converters(expressions)`;
`django.db.models.query.get_related_populators(klass_info, select, db)` and their `populate(row, obj)`;
`django.db.models.sql.InsertQuery(model).insert_values(fields, objs)`, the insert compiler's
`returning_fields` and `returning_params` and `connection.ops.fetch_returned_insert_columns(cursor,
returning_params)`; `django.db.models.sql.UpdateQuery(model).add_update_values(values)` and `add_q(q)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, Q, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery

MARKER = "\x00compiled-read-marker\x00"


def _connection(model: type[Model]) -> tuple[str, Any]:
    """The database alias a write of `model` goes to, and this thread's connection to it."""
    alias = router.db_for_write(model)
    return alias, connections[alias]


class CompiledRead:
    """`read(value)` runs `build(MARKER)`'s SQL with `value` in the marker's place; the first row as
    a model instance (with its select_related objects), or None."""

    def __init__(self, build: Callable[[Any], QuerySet]) -> None:
        self.build = build
        self._compiled: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}

    def _compile(self, alias: str) -> tuple[str, dict[str, Any]]:
        queryset = self.build(MARKER)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if tuple(params) != (MARKER,):
            raise ValueError("CompiledRead needs a query with exactly one parameter, the looked-up value")
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        layout = {
            "model": klass_info["model"],
            "start": start,
            "end": end,
            "init_list": [col[0].target.attname for col in select[start:end]],
            "populators": get_related_populators(klass_info, select, alias),
            "converters": list(compiler.get_converters([col[0] for col in select]).items()),
        }
        return sql, layout

    def read(self, value: Any, *, model: type[Model]) -> Any:
        alias, connection = _connection(model)
        key = (alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias)
        sql, layout = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for pos, (convs, expression) in layout["converters"]:
            cell = row[pos]
            for converter in convs:
                cell = converter(cell, expression, connection)
            row[pos] = cell
        obj = layout["model"].from_db(alias, layout["init_list"], row[layout["start"] : layout["end"]])
        for populator in layout["populators"]:
            populator.populate(row, obj)
        return obj


class CompiledInsert:
    """`insert(obj)` saves a new instance of `model` in one compiled INSERT of every field `save()`
    would write, and sets its primary key."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        meta = model._meta
        self.fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
        self._compiled: dict[tuple[str, str], tuple[str, Any]] = {}

    def _compile(self, alias: str, obj: Model) -> tuple[str, Any]:
        query = InsertQuery(self.model)
        query.insert_values(self.fields, [obj])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = [self.model._meta.pk]
        [(sql, params)] = compiler.as_sql()
        if len(params) != len(self.fields) or "RETURNING" not in sql.upper():
            raise ValueError("CompiledInsert needs one placeholder per field and RETURNING")
        return sql, compiler.returning_params

    def insert(self, obj: Model) -> Model:
        alias, connection = _connection(self.model)
        if not connection.features.can_return_columns_from_insert:
            obj.save(force_insert=True, using=alias)
            return obj
        key = (alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias, obj)
        sql, returning_params = compiled
        params = [field.get_db_prep_save(field.pre_save(obj, True), connection=connection) for field in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = connection.ops.fetch_returned_insert_columns(cursor, returning_params)
        obj.pk = row[0]
        obj._state.adding = False
        obj._state.db = alias
        return obj


class CompiledUpdate:
    """`update(pk, **values)` runs `UPDATE <table> SET <values> WHERE pk = <pk>`, compiled once per set
    of field names (and of which values are None, which the ORM writes as NULL). Returns the rows changed."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self._compiled: dict[tuple[Any, ...], tuple[str, list[Any]]] = {}

    def _compile(self, alias: str, values: dict[str, Any], pk: Any) -> tuple[str, list[Any]]:
        query = UpdateQuery(self.model)
        query.add_update_values(values)
        query.add_q(Q(pk=pk))
        sql, params = query.get_compiler(using=alias).as_sql()
        fields = [self.model._meta.get_field(name) for name, value in values.items() if value is not None]
        if len(params) != len(fields) + 1:
            raise ValueError("CompiledUpdate takes plain values only")
        return sql, fields

    def update(self, pk: Any, **values: Any) -> int:
        alias, connection = _connection(self.model)
        key = (alias, connection.vendor, *((name, value is None) for name, value in values.items()))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias, values, pk)
        sql, fields = compiled
        plain = [value for value in values.values() if value is not None]
        params = [
            field.get_db_prep_save(value, connection=connection) for field, value in zip(fields, plain, strict=True)
        ]
        params.append(self.model._meta.pk.get_db_prep_value(pk, connection))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount
