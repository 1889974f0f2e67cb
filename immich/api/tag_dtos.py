"""Tag DTOs (Immich 3.1's names). ``TagResponseDto`` and ``to_tag`` live in ``asset_dtos``
(asset answers carry tags too; a DTO name is defined once)."""

from __future__ import annotations

import attrs

from immich.api.dto import UNSET, field
from immich.api.user_dtos import MAX_SAFE_INTEGER

# Immich's hexColor: 3, 4, 6 or 8 hex digits, "#" optional (added when missing).
HEX_COLOR = r"^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$"


def hex_color(value: str | None) -> str | None:
    """The colour as Immich stores it: with its leading ``#``."""
    if value is None or value.startswith("#"):
        return value
    return f"#{value}"


@attrs.frozen
class TagCreateDto:
    name: str = field(description="Tag name")
    color: str | None = field(default=UNSET, description="Tag color (hex)", pattern=HEX_COLOR)
    parentId: str | None = field(default=UNSET, description="Parent tag ID", format="uuid")


@attrs.frozen
class TagUpdateDto:
    color: str | None = field(default=UNSET, description="Tag color (hex)", pattern=HEX_COLOR)


@attrs.frozen
class TagUpsertDto:
    tags: list[str] = field(description="Tag names to upsert")


@attrs.frozen
class TagBulkAssetsDto:
    assetIds: list[str] = field(description="Asset IDs", format="uuid")
    tagIds: list[str] = field(description="Tag IDs", format="uuid")


@attrs.frozen
class TagBulkAssetsResponseDto:
    count: int = field(
        description="Number of assets tagged", minimum=-MAX_SAFE_INTEGER, maximum=MAX_SAFE_INTEGER
    )
