"""/api routes for admin_users (being built)."""

from __future__ import annotations

from immich.api.routing import Router

router = Router()
