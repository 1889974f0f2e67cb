"""Stack DTOs (Immich 3.1's names); members are answered as AssetResponseDto."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from immich.api.asset_dtos import AssetResponseDto, to_asset_response
from immich.api.dto import UNSET, field
from immich.db.repos import Row


@attrs.frozen
class StackCreateDto:
    assetIds: list[str] = field(
        description="Asset IDs (first becomes primary, min 2)", format="uuid", min_items=2
    )


@attrs.frozen
class StackUpdateDto:
    primaryAssetId: str = field(default=UNSET, description="Primary asset ID", format="uuid")


@attrs.frozen
class StackSearchDto:
    primaryAssetId: str = field(
        default=UNSET, description="Filter by primary asset ID", format="uuid"
    )


@attrs.frozen
class StackResponseDto:
    """Stack response"""

    assets: list[AssetResponseDto] = field()
    id: str = field(description="Stack ID", format="uuid")
    primaryAssetId: str = field(description="Primary asset ID", format="uuid")


def to_stack(
    stack: Row, members: list[Row], exif: Mapping[Any, Row], viewer_id: uuid.UUID
) -> StackResponseDto:
    return StackResponseDto(
        assets=[to_asset_response(m, exif.get(m["id"]), viewer_id=viewer_id) for m in members],
        id=str(stack["id"]),
        primaryAssetId=str(stack["primaryAssetId"]),
    )
