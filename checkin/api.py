"""JSON API handlers of the checkin app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["checkin"])
