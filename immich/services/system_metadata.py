"""Admin-visible state kept in ``system_metadata``: onboarding, reverse geocoding, version check.

Immich's ``SystemMetadataService``: each value is a JSON object under Immich's key, read with
the defaults laid under whatever is stored (a stored object missing a field still answers it).
"""

from __future__ import annotations

from typing import Any

from immich.db.repos import Conn
from immich.db.repos import system_metadata as repo

# Immich's SystemMetadataKey values.
ADMIN_ONBOARDING = "admin-onboarding"
REVERSE_GEOCODING_STATE = "reverse-geocoding-state"
VERSION_CHECK_STATE = "version-check-state"


async def _with_defaults(db: Conn, key: str, defaults: dict[str, Any]) -> dict[str, Any]:
    stored = await repo.get(db, key)
    return {**defaults, **(stored if isinstance(stored, dict) else {})}


async def admin_onboarding(db: Conn) -> dict[str, Any]:
    return await _with_defaults(db, ADMIN_ONBOARDING, {"isOnboarded": False})


async def set_admin_onboarding(db: Conn, is_onboarded: bool) -> None:
    await repo.set(db, ADMIN_ONBOARDING, {"isOnboarded": is_onboarded})


async def reverse_geocoding_state(db: Conn) -> dict[str, Any]:
    """Written by the reverse-geocoding import (``lastUpdate``: the geodata's date)."""
    defaults = {"lastUpdate": None, "lastImportFileName": None}
    return await _with_defaults(db, REVERSE_GEOCODING_STATE, defaults)


async def version_check_state(db: Conn) -> dict[str, Any]:
    """Written by the version check (``checkedAt``: when, ``releaseVersion``: what it found)."""
    defaults = {"checkedAt": None, "releaseVersion": None}
    return await _with_defaults(db, VERSION_CHECK_STATE, defaults)
