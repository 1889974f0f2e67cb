"""Session DTOs (Immich's names): login sessions and child sessions."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from immich.api.dto import INT32_MAX, UNSET, field, iso


@attrs.frozen
class SessionCreateDto:
    deviceOS: str = field(default=UNSET, description="Device OS")
    deviceType: str = field(default=UNSET, description="Device type")
    duration: int = field(
        default=UNSET,
        description="Session duration in seconds",
        minimum=1,
        maximum=INT32_MAX,  # Immich's 2^53-1 ends past year 9999: at most 68 years
    )


@attrs.frozen
class SessionUpdateDto:
    isPendingSyncReset: bool = field(default=UNSET, description="Reset pending sync state")


@attrs.frozen
class SessionResponseDto:
    appVersion: str | None = field(description="App version")
    createdAt: str = field(description="Creation date")
    current: bool = field(description="Is current session")
    deviceOS: str = field(description="Device OS")
    deviceType: str = field(description="Device type")
    id: str = field(description="Session ID", format="uuid")
    isPendingSyncReset: bool = field(description="Is pending sync reset")
    updatedAt: str = field(description="Last update date")
    expiresAt: str = field(default=UNSET, description="Expiration date")


@attrs.frozen
class SessionCreateResponseDto:
    appVersion: str | None = field(description="App version")
    createdAt: str = field(description="Creation date")
    current: bool = field(description="Is current session")
    deviceOS: str = field(description="Device OS")
    deviceType: str = field(description="Device type")
    id: str = field(description="Session ID", format="uuid")
    isPendingSyncReset: bool = field(description="Is pending sync reset")
    token: str = field(description="Session token")
    updatedAt: str = field(description="Last update date")
    expiresAt: str = field(default=UNSET, description="Expiration date")


def _fields(row: Any, current_id: uuid.UUID | None) -> dict[str, Any]:
    return {
        "appVersion": row["appVersion"],
        "createdAt": iso(row["createdAt"]),
        "current": current_id is not None and row["id"] == current_id,
        "deviceOS": row["deviceOS"],
        "deviceType": row["deviceType"],
        "id": str(row["id"]),
        "isPendingSyncReset": row["isPendingSyncReset"],
        "updatedAt": iso(row["updatedAt"]),
        "expiresAt": iso(row["expiresAt"]) if row["expiresAt"] else UNSET,
    }


def to_session(row: Any, current_id: uuid.UUID | None = None) -> SessionResponseDto:
    return SessionResponseDto(**_fields(row, current_id))


def to_created_session(row: Any, token: str) -> SessionCreateResponseDto:
    return SessionCreateResponseDto(**_fields(row, None), token=token)
