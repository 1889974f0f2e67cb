"""System config (admin settings): defaults, file override, stored diff.

FOUNDATION SLICE: a minimal version; the full SystemConfigDto defaults, validation and
live propagation to replicas are being built out (see issue "Server foundation").
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from immich.db.repos import system_metadata

if TYPE_CHECKING:
    from immich.context import AppContext

CONFIG_KEY = "system-config"

DEFAULTS: dict[str, Any] = {
    "passwordLogin": {"enabled": True},
    "user": {"deleteDelay": 7},
}


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class SystemConfigService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.defaults = copy.deepcopy(DEFAULTS)
        self.current = copy.deepcopy(DEFAULTS)

    async def load(self) -> dict[str, Any]:
        stored = await system_metadata.get(self.ctx.db.pool, CONFIG_KEY) or {}
        self.current = merge(self.defaults, stored)
        return self.current

    async def start(self) -> None:
        """Load the config (and, later, listen for changes made by other replicas)."""
        await self.load()

    async def stop(self) -> None:
        return None

    def get(self) -> dict[str, Any]:
        return self.current
