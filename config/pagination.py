"""One page of a list: what every list endpoint of the API answers (`@paginated`).

`GET …?limit=100&offset=200` answers `{"items": [...], "count": <all matching>, "limit": 100,
"offset": 200}`. The default page is `DEFAULT_LIMIT` items; a `limit` over `MAX_LIMIT` (or below 1, or
a negative `offset`) is refused with a 422 `validation` error naming the parameter, rather than
silently shortened, so a client that asked for more learns it at once. A handler returns a queryset
(ordered, so pages do not overlap) and the page is cut in SQL: two queries whatever the list's size.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, paginate

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# Far beyond any list here, and inside SQLite's and PostgreSQL's 64-bit OFFSET.
MAX_OFFSET = 1_000_000_000


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip (default 0).")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items the whole list holds.")
        limit: int = Field(description="The page size used.")
        offset: int = Field(description="The offset used.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet | list, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "limit": pagination.limit, "offset": pagination.offset}


class Mapped:
    """A queryset seen through a function: the page is cut in SQL, then only its rows are turned into dicts.

    For list endpoints whose items are built in Python (`{"id": …, "name": …}`) from model rows.
    """

    def __init__(self, queryset: QuerySet, row: Callable[[Any], Any]) -> None:
        self.queryset, self.row = queryset, row

    def all(self) -> Mapped:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[Any]:
        return [self.row(obj) for obj in self.queryset[page]]


def paginated(func: Callable[..., Any]) -> Callable[..., Any]:
    """`@paginate(Page)` for a handler in a module with `from __future__ import annotations`.

    Ninja reads the parameters' types from the wrapper's module globals (ninja.pagination's), where
    names like `RegistrationStatus` do not exist; resolving them here, in the handler's own module,
    hands ninja real types.
    """
    func.__annotations__ = typing.get_type_hints(func, include_extras=True)
    return paginate(Page)(func)
