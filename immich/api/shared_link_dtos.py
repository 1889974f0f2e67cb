"""Shared-link DTOs (Immich 3.1's names) and the mapping of a link row to its answer."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import PurePath
from typing import Any

import attrs

from immich.api.album_dtos import AlbumResponseDto
from immich.api.asset_dtos import AssetResponseDto, AssetTypeEnum
from immich.api.dto import UNSET, field


class SharedLinkType(enum.StrEnum):
    ALBUM = "ALBUM"
    INDIVIDUAL = "INDIVIDUAL"


class AssetIdErrorReason(enum.StrEnum):
    duplicate = "duplicate"
    no_permission = "no_permission"
    not_found = "not_found"


@attrs.frozen
class SharedLinkSearchDto:
    albumId: str = field(default=UNSET, description="Filter by album ID", format="uuid")
    id: str = field(default=UNSET, description="Filter by shared link ID", format="uuid")


@attrs.frozen
class SharedLinkCreateDto:
    type: SharedLinkType = field()
    albumId: str = field(default=UNSET, description="Album ID (for album sharing)", format="uuid")
    allowDownload: bool = field(default=UNSET, description="Allow downloads")
    allowUpload: bool = field(default=UNSET, description="Allow uploads")
    assetIds: list[str] = field(
        default=UNSET, description="Asset IDs (for individual assets)", format="uuid"
    )
    description: str | None = field(default=UNSET, description="Link description")
    expiresAt: dt.datetime | None = field(default=UNSET, description="Expiration date")
    password: str | None = field(default=UNSET, description="Link password")
    showMetadata: bool = field(default=UNSET, description="Show metadata")
    slug: str | None = field(default=UNSET, description="Custom URL slug")


@attrs.frozen
class SharedLinkEditDto:
    allowDownload: bool = field(default=UNSET, description="Allow downloads")
    allowUpload: bool = field(default=UNSET, description="Allow uploads")
    description: str | None = field(default=UNSET, description="Link description")
    expiresAt: dt.datetime | None = field(default=UNSET, description="Expiration date")
    password: str | None = field(default=UNSET, description="Link password")
    showMetadata: bool = field(default=UNSET, description="Show metadata")
    slug: str | None = field(default=UNSET, description="Custom URL slug")


@attrs.frozen
class SharedLinkLoginDto:
    password: str = field(description="Shared link password")


@attrs.frozen
class AssetIdsDto:
    assetIds: list[str] = field(description="Asset IDs", format="uuid")


@attrs.frozen
class AssetIdsResponseDto:
    assetId: str = field(description="Asset ID", format="uuid")
    success: bool = field(description="Whether operation succeeded")
    error: AssetIdErrorReason = field(default=UNSET)


@attrs.frozen
class SanitizedAssetResponseDto:
    """Immich's answer for an asset of a link that hides metadata: no names, paths, dates of
    the file, owner or EXIF."""

    id: str
    type: AssetTypeEnum
    originalMimeType: str | None
    thumbhash: str | None
    localDateTime: dt.datetime
    duration: int | None
    livePhotoVideoId: str | None
    hasMetadata: bool
    width: int | None
    height: int | None


def sanitize(asset: AssetResponseDto) -> Any:
    """The sanitized form of an asset answer (typed as the answer it stands for)."""
    return SanitizedAssetResponseDto(
        id=asset.id,
        type=asset.type,
        originalMimeType=asset.originalMimeType if asset.originalMimeType is not UNSET else None,
        thumbhash=asset.thumbhash,
        localDateTime=asset.localDateTime,
        duration=asset.duration,
        livePhotoVideoId=asset.livePhotoVideoId if asset.livePhotoVideoId is not UNSET else None,
        hasMetadata=False,
        width=asset.width,
        height=asset.height,
    )


@attrs.frozen
class SharedLinkResponseDto:
    allowDownload: bool = field(description="Allow downloads")
    allowUpload: bool = field(description="Allow uploads")
    assets: list[AssetResponseDto] = field()
    createdAt: dt.datetime = field(description="Creation date")
    description: str | None = field(description="Link description")
    expiresAt: dt.datetime | None = field(description="Expiration date")
    id: str = field(description="Shared link ID", format="uuid")
    key: str = field(description="Encryption key (base64url)")
    password: str | None = field(description="Has password")
    showMetadata: bool = field(description="Show metadata")
    slug: str | None = field(description="Custom URL slug")
    type: SharedLinkType = field()
    userId: str = field(description="Owner user ID", format="uuid")
    album: AlbumResponseDto = field(default=UNSET)


def _hides_metadata(caller: Any) -> bool:
    link = getattr(caller, "shared_link", None)
    return link is not None and not link.show_exif


def shared_link_view(caller: Any, asset: AssetResponseDto) -> AssetResponseDto:
    """An asset answer as a link's visitor sees it (Immich's AssetService.get): sanitized when
    the link hides metadata, else without its owner and people; unchanged for anyone else."""
    if getattr(caller, "shared_link", None) is None:
        return asset
    if _hides_metadata(caller):
        return sanitize(asset)  # type: ignore[no-any-return]
    return attrs.evolve(asset, owner=UNSET, people=[])


def shared_link_file_name(caller: Any, asset_id: str, name: str) -> str:
    """A file's name for the caller: the asset id (keeping the extension) when a link hides
    metadata, so the original name never reaches its visitors."""
    if not _hides_metadata(caller):
        return name
    return f"{asset_id}{PurePath(name).suffix}"
