"""Where the apps built on events plug into it, so that events never imports them.

`checkin` and `matching` import `events`; `events` imports neither (tests/architecture/test_imports.py).
When events needs them, it calls what they registered here from their AppConfig.ready():

- `on_registration_seated`: told, after the commit, which registrations have just taken a seat
  (checkin issues their tickets). Every registration service that seats someone calls
  `registrations_seated` inside its transaction; the import gathers a batch's seats into one call
  (`seats_batched`).
- `provide_registration_ticket`: the ticket fields the registration API shows.
- `provide_figure`: figures that belong to another app on the live pages (people present, session
  attendance, meetings).

Calendar items have their own registry beside the feed that reads them
(`events.calendar_items.register_provider`).

Registering is idempotent (ready() may run more than once in a test run). A hook nobody subscribed
to does nothing, quietly, so tests/architecture/test_imports.py checks that each one has the
subscriber the installed apps promise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from events.models import Registration

SeatedHook = Callable[..., None]  # fn(*, registration_ids: list[int]) -> None
TicketProvider = Callable[["Registration"], "dict[str, str] | None"]

_seated: list[SeatedHook] = []
_batch = threading.local()  # the registrations a `seats_batched` block gathers, per thread
_ticket: list[TicketProvider] = []
_figures: dict[str, Callable[..., Any]] = {}

# The figures another app may provide to the live pages, and what each is called with and answers.
FIGURES = {
    # (*, event: Event) -> int: people inside the venue now.
    "present_count": "checkin",
    # (*, session_ids: list[int]) -> dict[int, tuple[int, int]]: per session, (inside now, arrived so far).
    "session_attendance": "checkin",
    # (*, event: Event) -> dict[str, int]: meetings booked, in progress, held, no-shows.
    "meeting_counts": "matching",
    # (*, event: Event) -> dict: arrivals so far by gate ("by_gate"), by role ("by_role") and per five
    # minutes ("per_5_minutes": [{"start": ISO in the event's zone, "arrivals": n}]), as checkin.counts.
    "arrival_counts": "checkin",
    # (*, language: str) -> list[{"slug", "name", "group"}]: every skill of the taxonomy, its name in
    # `language` (else English); the questionnaires' skill picker lists them and answers are checked against them.
    "skill_taxonomy": "matching",
    # (*, registration: Registration) -> dict | None: a trainee's own skill levels per assessment round (a
    # chart "chart", rows "skills", "tasks", "self_links"), None without a curriculum; their "my progress" page.
    "trainee_skill_progression": "matching",
    # (*, registration_ids: list[int]) -> dict[int, datetime]: when each of these registrations first
    # came through the door (absent: never checked in). A stakeholder's timeline (issue 13).
    "first_arrivals": "checkin",
}


# --- A registration took a seat ------------------------------------------------------------------


def on_registration_seated(fn: SeatedHook) -> SeatedHook:
    """Call `fn(registration_ids=[...])` after each commit that seated someone. Usable as a decorator."""
    if fn not in _seated:
        _seated.append(fn)
    return fn


def registrations_seated(*, registration_ids: Iterable[int]) -> None:
    """Tell the subscribers, once the current transaction commits, that these registrations hold a seat.

    Services call it inside their transaction; nothing is said of a rolled-back seat. A subscriber
    that fails is logged and does not undo the seat (robust): checkin's tickets have a backfill
    (`manage.py tickets_backfill`) for that case.
    """
    ids = sorted(set(registration_ids))
    gathering = getattr(_batch, "ids", None)
    if gathering is not None:
        gathering.extend(ids)
    elif ids:
        transaction.on_commit(partial(notify_seated, registration_ids=ids), robust=True)


@contextmanager
def seats_batched() -> Iterator[None]:
    """Inside, `registrations_seated` gathers the registrations and announces them once, on leaving:
    for a caller that seats many people in one transaction (the import), so that the subscribers
    run once after its commit rather than once per person. Enter it inside the transaction.

    A seat rolled back meanwhile (a savepoint) is announced too: subscribers read what committed.
    """
    if getattr(_batch, "ids", None) is not None:  # nested: the outermost one announces
        yield
        return
    _batch.ids = []
    try:
        yield
        ids = _batch.ids
    finally:
        _batch.ids = None
    registrations_seated(registration_ids=ids)


def notify_seated(*, registration_ids: list[int]) -> None:
    """Run the subscribers now, for registrations already committed (a backfill, test factories)."""
    for fn in list(_seated):
        fn(registration_ids=list(registration_ids))


# --- The registration API's ticket fields --------------------------------------------------------


def provide_registration_ticket(fn: TicketProvider) -> TicketProvider:
    """`fn(registration)` answers `{"ticket_payload", "qr_url"}`, or None when there is no ticket to show."""
    _ticket[:] = [fn]
    return fn


def registration_ticket(registration: Registration) -> dict[str, str] | None:
    """The ticket fields of a registration, or None (no seat, no ticket yet, or no ticket provider)."""
    return _ticket[0](registration) if _ticket else None


# --- Figures of other apps on the live pages -----------------------------------------------------


def provide_figure(name: str, fn: Callable[..., Any]) -> None:
    """Register the function that computes one of `FIGURES` (an unknown name is a programming error)."""
    if name not in FIGURES:
        raise ValueError(f"unknown live figure {name!r}; known: {sorted(FIGURES)}")
    _figures[name] = fn


def figure(name: str) -> Callable[..., Any] | None:
    """The provider of a figure, or None when the app that computes it is not installed."""
    if name not in FIGURES:
        raise ValueError(f"unknown live figure {name!r}; known: {sorted(FIGURES)}")
    return _figures.get(name)


def registered() -> dict[str, list[str]]:
    """Who is plugged in where, by dotted name (for tests and for a reader at a shell)."""

    def names(fns: Iterable[Callable[..., Any]]) -> list[str]:
        return [f"{fn.__module__}.{fn.__qualname__}" for fn in fns]

    return {
        "registration_seated": names(_seated),
        "registration_ticket": names(_ticket),
        **{f"figure:{name}": names([fn]) for name, fn in sorted(_figures.items())},
    }
