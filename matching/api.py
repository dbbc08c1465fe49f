"""JSON API handlers of the matching app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["matching"])
