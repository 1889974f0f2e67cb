"""API key DTOs (Immich's names) and the ``Permission`` enum of the reference."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

import attrs

from immich.api.dto import UNSET, field
from immich.api.permissions import PERMISSIONS

if TYPE_CHECKING:
    Permission = str
else:
    # Immich's ``Permission`` enum; built from the one list of names (values like "asset.read").
    Permission = enum.StrEnum("Permission", {name: name for name in PERMISSIONS})
    Permission.__doc__ = "Permission"


@attrs.frozen
class ApiKeyCreateDto:
    permissions: list[Permission] = field(description="List of permissions", min_items=1)
    name: str = field(default=UNSET, description="API key name")


@attrs.frozen
class ApiKeyUpdateDto:
    name: str = field(default=UNSET, description="API key name")
    permissions: list[Permission] = field(
        default=UNSET, description="List of permissions", min_items=1
    )


@attrs.frozen
class ApiKeyResponseDto:
    createdAt: dt.datetime = field(description="Creation date", format="date-time")
    id: str = field(description="API key ID", format="uuid")
    name: str = field(description="API key name")
    permissions: list[Permission] = field(description="List of permissions")
    updatedAt: dt.datetime = field(description="Last update date", format="date-time")


@attrs.frozen
class ApiKeyCreateResponseDto:
    apiKey: ApiKeyResponseDto = field(description="API key")
    secret: str = field(description="API key secret (only shown once)")


def to_api_key(row: Any) -> ApiKeyResponseDto:
    return ApiKeyResponseDto(
        createdAt=row["createdAt"],
        id=str(row["id"]),
        name=row["name"],
        permissions=list(row["permissions"]),
        updatedAt=row["updatedAt"],
    )
