"""Asset key/value metadata DTOs (Immich 3.1's names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from immich.api.asset_dtos import AssetMetadataUpsertItemDto
from immich.api.dto import field
from immich.db.repos import Row


@attrs.frozen
class AssetMetadataResponseDto:
    key: str = field(description="Metadata key")
    updatedAt: dt.datetime = field(description="Last update date")
    value: dict[str, Any] = field(description="Metadata value (object)")


@attrs.frozen
class AssetMetadataUpsertDto:
    items: list[AssetMetadataUpsertItemDto] = field(description="Metadata items to upsert")


@attrs.frozen
class AssetMetadataBulkUpsertItemDto:
    assetId: str = field(description="Asset ID", format="uuid")
    key: str = field(description="Metadata key")
    value: dict[str, Any] = field(description="Metadata value (object)")


@attrs.frozen
class AssetMetadataBulkUpsertDto:
    items: list[AssetMetadataBulkUpsertItemDto] = field(description="Metadata items to upsert")


@attrs.frozen
class AssetMetadataBulkResponseDto:
    assetId: str = field(description="Asset ID", format="uuid")
    key: str = field(description="Metadata key")
    updatedAt: dt.datetime = field(description="Last update date")
    value: dict[str, Any] = field(description="Metadata value (object)")


@attrs.frozen
class AssetMetadataBulkDeleteItemDto:
    assetId: str = field(description="Asset ID", format="uuid")
    key: str = field(description="Metadata key")


@attrs.frozen
class AssetMetadataBulkDeleteDto:
    items: list[AssetMetadataBulkDeleteItemDto] = field(description="Metadata items to delete")


def to_metadata(row: Row) -> AssetMetadataResponseDto:
    return AssetMetadataResponseDto(key=row["key"], updatedAt=row["updatedAt"], value=row["value"])


def to_bulk_metadata(row: Row) -> AssetMetadataBulkResponseDto:
    return AssetMetadataBulkResponseDto(
        assetId=str(row["assetId"]), key=row["key"], updatedAt=row["updatedAt"], value=row["value"]
    )
