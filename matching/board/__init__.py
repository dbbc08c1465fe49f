"""The live employer board: per event and process, an index of the candidates present, kept in line
with the door, and pushes of the rows that moved to the employers concerned.

Modules (callers use the names re-exported here):

- ``roster``: what is read once per event and kept: every candidate the boards may show (scoring
  data and names), the board size, the marks and meetings (``BoardState``); the shared counters
  that tell a process its copy is stale, and the model-signal handlers that move them.
- ``index``: this process's ``EngineIndex`` per event (the engine's ``LiveIndex`` in Django ids),
  built on first use, rebuilt when the event's index counter moves, kept in line with the door.
- ``reads``: what employers and candidates see (``board_for``, ``boards_for``,
  ``ranked_for_organisation``, ``matches_for_candidate``). Database reads only.
- ``pushes``: changes in (door scans, profile, consent, star, mark and meeting changes), pushes out
  (``board.changed`` with the current rows of every opening that moved; docs/matching.md).

Threads:

- request threads (Daphne's thread pool: pages, the API, services): the reads, and
  ``candidate_changed``, ``meetings_changed``, ``invalidate`` from services;
- the check-in hook thread (``checkin.hooks``, one per process), or ``runworker matching-live``
  with ``MATCHING_LIVE_WORKER``: ``on_checkin_infos`` -> ``on_presence_many``;
- the board-push thread (``realtime.coalesce.Coalescer`` "board-push", one per process):
  ``pushes._push_boards``, after the commit, sending with ``send_now``.

Lock: ``index.lock`` (re-entrant) guards ``index._indexes``, ``index._synced_at`` and everything
inside an ``EngineIndex``; every thread holds it to read or change an index, and building or
re-syncing one reads the database under it. Nothing else takes a lock here: a roster is replaced
whole or grows by ``dict.update`` (atomic under the GIL), so two threads at worst both read it from
the database; the coalescer has a lock of its own.

Caches, per process, and who writes them:

- ``roster._rosters`` (event -> ``Roster``): written by ``roster_for`` and ``arrivals_data`` (hook
  and push threads), read by pushes. Re-read when the shared roster counter moves (at most every
  ``ROSTER_RELOAD_EVERY`` s) and after ``ROSTER_MAX_AGE`` s anyway; its ``BoardState`` when the marks
  counter moves or after ``BOARD_STATE_MAX_AGE`` s.
- ``index._indexes`` (event -> (index version, ``EngineIndex``)) and ``index._synced_at``: written
  only in ``index`` under ``index.lock``. Board reads re-sync presence from the door state; the hook
  thread looks at other processes' arrivals every ``pushes.SYNC_EVERY`` s, ``index.RECENT_MARGIN``
  back.

Shared through the cache (``realtime.generations``): the event's index counter (``invalidate``:
openings, the taxonomy, a timetable run), the roster counter (model signals on ``ROSTER_MODELS``,
``candidate_changed``) and the marks counter (model signals on ``MARKS_MODELS``,
``meetings_changed``). Pushes are coalesced per event at ``settings.MATCHING_BOARD_PUSH_INTERVAL``.
"""

from __future__ import annotations

from matching.board.index import index_for, invalidate, reset_all
from matching.board.pushes import (
    candidate_changed,
    meetings_changed,
    on_checkin_info,
    on_checkin_infos,
    on_presence_many,
    publish_changes,
    request_changed,
)
from matching.board.reads import (
    board_for,
    boards_for,
    matches_for_candidate,
    present_candidate_ids,
    ranked_for_organisation,
)
from matching.board.roster import (
    DEFAULT_BOARD_SIZE,
    MARKS_MODELS,
    ROSTER_MODELS,
    _candidate_data_saved,
    _marks_saved,
    roster_changed,
)

__all__ = [
    "DEFAULT_BOARD_SIZE",
    "MARKS_MODELS",
    "ROSTER_MODELS",
    "_candidate_data_saved",
    "_marks_saved",
    "board_for",
    "boards_for",
    "candidate_changed",
    "index_for",
    "invalidate",
    "matches_for_candidate",
    "meetings_changed",
    "on_checkin_info",
    "on_checkin_infos",
    "on_presence_many",
    "present_candidate_ids",
    "publish_changes",
    "ranked_for_organisation",
    "request_changed",
    "reset_all",
    "roster_changed",
]
