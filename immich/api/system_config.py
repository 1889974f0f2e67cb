"""/api routes for system_config (being built)."""

from __future__ import annotations

from immich.api.routing import Router

router = Router()
