"""Garbage-collector settings for a long-lived server process (Daphne, the matching live worker)."""

from __future__ import annotations

import gc


def tune_after_startup() -> None:
    """Freeze what startup imported out of the collector's sight, and collect the young generation less often.

    Call it once, after everything a first request would import has been imported.

    Why: a full collection pauses every request in flight, and its length grows with the objects it
    walks. What startup imported lives as long as the process, so walking it again is wasted:
    `gc.freeze()` leaves full collections only what requests created since. At Python's default
    threshold (700 new container objects) the objects of requests still in flight are caught alive
    again and again and promoted to the old generation, which then fills up and brings full
    collections often; a larger first threshold lets them die young. The figures, and the command
    that measures them, are in docs/architecture.md ("The garbage collector").
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 10, 10)
