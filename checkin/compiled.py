"""A hot query compiled by the ORM once per process and database, then run with new values.

Django builds and compiles a queryset's SQL anew on every evaluation. For the door's ticket read
(a row lock and three joins, on every scan) that is most of the query's cost: about 0.35 ms of
compiling for 0.04 ms of SQLite (bench/checkin.py's fair). `CompiledRead` lets the ORM write the SQL
once, with a marker where the looked-up value goes, and then only runs it: the row is turned into
model instances by the ORM's own machinery (its converters, `Model.from_db` and the select_related
populators), as `QuerySet.__iter__` would.

Only for single-row reads by one value whose SQL does not depend on the value (no `IN` lists).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

MARKER = "\x00compiled-read-marker\x00"


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
        alias = router.db_for_write(model)
        connection = connections[alias]
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
