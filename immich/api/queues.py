"""/api routes for queues (being built)."""

from __future__ import annotations

from immich.api.routing import Router

router = Router()
