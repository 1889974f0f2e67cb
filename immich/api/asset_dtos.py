"""Asset DTOs (Immich 3.1's names) and ``to_asset_response``, the one asset row -> answer mapper.

Other resources (timeline, stacks, search, albums) answer assets with ``to_asset_response`` and
import these classes: a DTO name is defined once (the spec refuses two classes of one name).
The generic bulk DTOs (``BulkIdsDto``, ``BulkIdResponseDto``, ``BulkIdErrorReason``) live here
too, for every resource that takes a list of ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

import attrs

from immich.api.dto import INT32_MAX, UNSET, field
from immich.api.user_dtos import MAX_SAFE_INTEGER, AssetVisibility, UserResponseDto, to_user
from immich.storage.mime import mime_type


class AssetMediaStatus(enum.StrEnum):
    """Upload status"""

    created = "created"
    duplicate = "duplicate"


class AssetUploadAction(enum.StrEnum):
    """Upload action"""

    accept = "accept"
    reject = "reject"


class AssetRejectReason(enum.StrEnum):
    """Rejection reason if rejected"""

    duplicate = "duplicate"
    unsupported_format = "unsupported-format"


class AssetTypeEnum(enum.StrEnum):
    """Asset type"""

    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"
    OTHER = "OTHER"


class BulkIdErrorReason(enum.StrEnum):
    """Error reason"""

    duplicate = "duplicate"
    no_permission = "no_permission"
    not_found = "not_found"
    unknown = "unknown"
    validation = "validation"


@attrs.frozen
class BulkIdsDto:
    ids: list[str] = field(description="IDs to process", format="uuid")


@attrs.frozen
class BulkIdResponseDto:
    id: str = field(description="ID", format="uuid")
    success: bool = field(description="Whether operation succeeded")
    error: BulkIdErrorReason = field(default=UNSET)
    errorMessage: str = field(default=UNSET)


@attrs.frozen
class AssetMetadataUpsertItemDto:
    key: str = field(description="Metadata key")
    value: dict[str, Any] = field(description="Metadata value (object)")


@attrs.frozen
class AssetMediaCreateDto:
    """Multipart form of ``POST /assets`` (the endpoint streams the two file parts to disk)."""

    assetData: bytes = field(description="Asset file data")
    fileCreatedAt: dt.datetime = field(description="File creation date", format="date-time")
    fileModifiedAt: dt.datetime = field(description="File modification date", format="date-time")
    duration: int = field(
        default=UNSET,
        description="Duration in milliseconds (for videos)",
        minimum=0,
        maximum=MAX_SAFE_INTEGER,
    )
    filename: str = field(default=UNSET, description="Filename")
    isFavorite: bool = field(default=UNSET, description="Mark as favorite")
    livePhotoVideoId: str = field(default=UNSET, description="Live photo video ID", format="uuid")
    metadata: list[AssetMetadataUpsertItemDto] = field(
        default=UNSET, description="Asset metadata items"
    )
    sidecarData: bytes = field(default=UNSET, description="Sidecar file data")
    visibility: AssetVisibility = field(default=UNSET)


@attrs.frozen
class AssetMediaResponseDto:
    id: str = field(description="Asset media ID", format="uuid")
    status: AssetMediaStatus = field()


@attrs.frozen
class AssetBulkUploadCheckItem:
    checksum: str = field(description="Base64 or hex encoded SHA1 hash")
    id: str = field(description="Client-side identifier echoed in the response")


@attrs.frozen
class AssetBulkUploadCheckDto:
    assets: list[AssetBulkUploadCheckItem] = field(description="Assets to check")


@attrs.frozen
class AssetBulkUploadCheckResult:
    action: AssetUploadAction = field()
    id: str = field(description="Client-side identifier echoed from the request")
    assetId: str = field(default=UNSET, description="Existing asset ID if duplicate", format="uuid")
    isTrashed: bool = field(default=UNSET, description="Whether existing asset is trashed")
    reason: AssetRejectReason = field(default=UNSET)


@attrs.frozen
class AssetBulkUploadCheckResponseDto:
    results: list[AssetBulkUploadCheckResult] = field(description="Upload check results")


@attrs.frozen
class ExifResponseDto:
    """EXIF response"""

    city: str | None = field(default=None, description="City name")
    country: str | None = field(default=None, description="Country name")
    dateTimeOriginal: dt.datetime | None = field(default=None, description="Original date/time")
    description: str | None = field(default=None, description="Image description")
    exifImageHeight: int | None = field(
        default=None, description="Image height in pixels", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    exifImageWidth: int | None = field(
        default=None, description="Image width in pixels", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    exposureTime: str | None = field(default=None, description="Exposure time")
    fNumber: float | None = field(default=None, description="F-number (aperture)")
    fileSizeInByte: int | None = field(
        default=None, description="File size in bytes", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    focalLength: float | None = field(default=None, description="Focal length in mm")
    iso: int | None = field(default=None, description="ISO sensitivity")
    latitude: float | None = field(default=None, description="GPS latitude")
    lensModel: str | None = field(default=None, description="Lens model")
    longitude: float | None = field(default=None, description="GPS longitude")
    make: str | None = field(default=None, description="Camera make")
    model: str | None = field(default=None, description="Camera model")
    modifyDate: dt.datetime | None = field(default=None, description="Modification date/time")
    orientation: str | None = field(default=None, description="Image orientation")
    projectionType: str | None = field(default=None, description="Projection type")
    rating: int | None = field(default=None, description="Rating", minimum=1, maximum=5)
    state: str | None = field(default=None, description="State/province name")
    timeZone: str | None = field(default=None, description="Time zone")


@attrs.frozen
class PersonResponseDto:
    birthDate: str | None = field(description="Person date of birth", format="date")
    id: str = field(description="Person ID", format="uuid")
    isHidden: bool = field(description="Is hidden")
    name: str = field(description="Person name")
    thumbnailPath: str = field(description="Thumbnail path")
    color: str = field(default=UNSET, description="Person color (hex)")
    isFavorite: bool = field(default=UNSET, description="Is favorite")
    updatedAt: dt.datetime = field(default=UNSET, description="Last update date")


@attrs.frozen
class TagResponseDto:
    createdAt: dt.datetime = field(description="Creation date")
    id: str = field(description="Tag ID", format="uuid")
    name: str = field(description="Tag name")
    updatedAt: dt.datetime = field(description="Last update date")
    value: str = field(description="Tag value (full path)")
    color: str = field(default=UNSET, description="Tag color (hex)")
    parentId: str = field(default=UNSET, description="Parent tag ID")


def to_tag(row: Any) -> TagResponseDto:
    """TagResponseDto of a ``tag`` row, as Immich's ``mapTag`` (``name``: the last level)."""
    value = str(row["value"])
    return TagResponseDto(
        createdAt=row["createdAt"],
        id=str(row["id"]),
        name=value.split("/")[-1],
        updatedAt=row["updatedAt"],
        value=value,
        color=row["color"] if row["color"] is not None else UNSET,
        parentId=str(row["parentId"]) if row["parentId"] is not None else UNSET,
    )


@attrs.frozen
class AssetStackResponseDto:
    assetCount: int = field(
        description="Number of assets in stack", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    id: str = field(description="Stack ID", format="uuid")
    primaryAssetId: str = field(description="Primary asset ID", format="uuid")


@attrs.frozen
class AssetResponseDto:
    checksum: str = field(description="Base64 encoded SHA1 hash")
    createdAt: dt.datetime = field(description="When the asset was uploaded (UTC)")
    duration: int | None = field(
        description="Video/gif duration in milliseconds (null for static images)",
        minimum=0,
        maximum=2147483647,
    )
    fileCreatedAt: dt.datetime = field(description="When the file was created/captured (UTC)")
    fileModifiedAt: dt.datetime = field(description="When the file was last modified (UTC)")
    hasMetadata: bool = field(description="Whether asset has metadata")
    height: int | None = field(description="Asset height", minimum=0, maximum=MAX_SAFE_INTEGER)
    id: str = field(description="Asset ID", format="uuid")
    isArchived: bool = field(description="Is archived")
    isEdited: bool = field(description="Is edited")
    isFavorite: bool = field(description="Is favorite")
    isOffline: bool = field(description="Is offline")
    isTrashed: bool = field(description="Is trashed")
    localDateTime: dt.datetime = field(description="Local date and time when taken")
    originalFileName: str = field(description="Original file name")
    originalPath: str = field(description="Original file path")
    ownerId: str = field(description="Owner user ID", format="uuid")
    thumbhash: str | None = field(description="Thumbhash (base64)")
    type: AssetTypeEnum = field()
    updatedAt: dt.datetime = field(description="When the asset record was last updated (UTC)")
    visibility: AssetVisibility = field()
    width: int | None = field(description="Asset width", minimum=0, maximum=MAX_SAFE_INTEGER)
    duplicateId: str | None = field(default=UNSET, description="Duplicate group ID", format="uuid")
    exifInfo: ExifResponseDto = field(default=UNSET)
    libraryId: str | None = field(default=UNSET, description="Library ID", format="uuid")
    livePhotoVideoId: str | None = field(default=UNSET, description="Live photo video ID")
    originalMimeType: str = field(default=UNSET, description="Original MIME type")
    owner: UserResponseDto = field(default=UNSET)
    people: list[PersonResponseDto] = field(default=UNSET)
    resized: bool = field(default=UNSET, description="Is resized", deprecated=True)
    stack: AssetStackResponseDto | None = field(default=UNSET)
    tags: list[TagResponseDto] = field(default=UNSET)


@attrs.frozen
class UpdateAssetDto:
    dateTimeOriginal: str = field(default=UNSET, description="Original date and time")
    description: str = field(default=UNSET, description="Asset description")
    isFavorite: bool = field(default=UNSET, description="Mark as favorite")
    latitude: float = field(
        default=UNSET, description="Latitude coordinate", minimum=-90, maximum=90
    )
    livePhotoVideoId: str | None = field(
        default=UNSET, description="Live photo video ID", format="uuid"
    )
    longitude: float = field(
        default=UNSET, description="Longitude coordinate", minimum=-180, maximum=180
    )
    rating: int | None = field(
        default=UNSET,
        description="Rating in range [1-5] (starred), -1 (rejected), or null (unrated)",
        minimum=-1,
        maximum=5,
    )
    visibility: AssetVisibility = field(default=UNSET)


@attrs.frozen
class AssetBulkUpdateDto:
    ids: list[str] = field(description="Asset IDs to update", format="uuid")
    dateTimeOriginal: str = field(default=UNSET, description="Original date and time")
    dateTimeRelative: int = field(  # Immich's 2^53-1 overflows make_interval's integer
        default=UNSET,
        description="Relative time offset in minutes",
        minimum=-INT32_MAX,
        maximum=INT32_MAX,
    )
    description: str = field(default=UNSET, description="Asset description")
    duplicateId: str | None = field(default=UNSET, description="Duplicate ID", format="uuid")
    isFavorite: bool = field(default=UNSET, description="Mark as favorite")
    latitude: float = field(
        default=UNSET, description="Latitude coordinate", minimum=-90, maximum=90
    )
    longitude: float = field(
        default=UNSET, description="Longitude coordinate", minimum=-180, maximum=180
    )
    rating: int | None = field(
        default=UNSET,
        description="Rating in range [1-5] (starred), -1 (rejected), or null (unrated)",
        minimum=-1,
        maximum=5,
    )
    timeZone: str = field(default=UNSET, description="Time zone (IANA timezone)")
    visibility: AssetVisibility = field(default=UNSET)


@attrs.frozen
class AssetBulkDeleteDto:
    ids: list[str] = field(description="IDs to process", format="uuid")
    force: bool = field(default=UNSET, description="Force delete even if in use")


@attrs.frozen
class AssetDownloadOriginalDto:
    edited: bool = field(default=UNSET, description="Return edited asset if available")


def duration_ms(value: str | None) -> int | None:
    """The asset's stored duration as milliseconds: ``"1234"`` or Immich's ``"H:MM:SS.ffffff"``."""
    if not value:
        return None
    try:
        if ":" not in value:
            return max(0, round(float(value)))
        hours, minutes, seconds = value.split(":")
        total = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        return max(0, round(total * 1000))
    except ValueError:
        return None


def _b64(value: bytes | None) -> str | None:
    return base64.b64encode(value).decode() if value is not None else None


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def to_exif(exif: Any) -> ExifResponseDto:
    """ExifResponseDto of an ``asset_exif`` row (columns of the same names)."""
    names = [f.name for f in attrs.fields(ExifResponseDto)]
    values = {name: exif.get(name) for name in names if name in exif}
    if values.get("description") is None:
        values["description"] = ""
    return ExifResponseDto(**values)


def to_asset_response(
    row: Any,
    exif: Any = None,
    *,
    viewer_id: Any = None,
    owner: Any = None,
    stack: Any = None,
    resized: bool | None = None,
    tags: Iterable[Any] | None = None,
) -> AssetResponseDto:
    """AssetResponseDto of an ``asset`` row (a Record or mapping), as Immich's ``mapAsset``.

    ``exif``: its ``asset_exif`` row (omitted: no ``exifInfo``); ``viewer_id``: who asks
    (``isFavorite`` is the owner's, false for others); ``owner``: the owner's user row;
    ``stack``: ``{"id", "primaryAssetId", "assetCount"}`` of its stack; ``resized``: whether a
    preview exists; ``tags``: its ``tag`` rows (Immich fills them in ``getAssetInfo`` only).
    """
    is_favorite = bool(row["isFavorite"])
    if viewer_id is not None and str(viewer_id) != str(row["ownerId"]):
        is_favorite = False
    return AssetResponseDto(
        checksum=_b64(bytes(row["checksum"])) or "",
        createdAt=row["createdAt"],
        duration=duration_ms(row.get("duration")),
        fileCreatedAt=row["fileCreatedAt"],
        fileModifiedAt=row["fileModifiedAt"],
        hasMetadata=exif is not None,
        height=row.get("height"),
        id=str(row["id"]),
        isArchived=row["visibility"] == AssetVisibility.archive,
        isEdited=bool(row.get("isEdited", False)),
        isFavorite=is_favorite,
        isOffline=bool(row["isOffline"]),
        isTrashed=row["deletedAt"] is not None,
        localDateTime=row["localDateTime"],
        originalFileName=row["originalFileName"],
        originalPath=row["originalPath"],
        ownerId=str(row["ownerId"]),
        thumbhash=_b64(row["thumbhash"]),
        type=AssetTypeEnum(row["type"]),
        updatedAt=row["updatedAt"],
        visibility=AssetVisibility(row["visibility"]),
        width=row.get("width"),
        duplicateId=_str(row["duplicateId"]),
        exifInfo=to_exif(exif) if exif is not None else UNSET,
        libraryId=_str(row["libraryId"]),
        livePhotoVideoId=_str(row["livePhotoVideoId"]),
        originalMimeType=mime_type(row["originalFileName"]),
        owner=to_user(owner) if owner is not None else UNSET,
        people=[],
        resized=resized if resized is not None else UNSET,
        stack=(
            AssetStackResponseDto(
                assetCount=int(stack["assetCount"]),
                id=str(stack["id"]),
                primaryAssetId=str(stack["primaryAssetId"]),
            )
            if stack is not None
            else None
        ),
        tags=[to_tag(t) for t in tags or ()],
    )
