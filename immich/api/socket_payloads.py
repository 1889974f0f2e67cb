"""The payloads of live events that are built from rows on the api replica (the bus carries
only the asset's id): Immich's ``on_upload_success`` answer and ``AssetUploadReadyV2``'s
``{asset: SyncAssetV2, exif: SyncAssetExifV1}`` (job.service.ts), shaped as the spec's
schemas, so the phone app can add a new upload without a sync round trip."""

from __future__ import annotations

import base64
from typing import Any

from immich.api.asset_dtos import duration_ms, to_asset_response
from immich.api.dto import dump
from immich.api.server import version_numbers

SYNC_EXIF_FIELDS = (
    "description",
    "exifImageWidth",
    "exifImageHeight",
    "fileSizeInByte",
    "orientation",
    "dateTimeOriginal",
    "modifyDate",
    "timeZone",
    "latitude",
    "longitude",
    "projectionType",
    "city",
    "state",
    "country",
    "make",
    "model",
    "lensModel",
    "fNumber",
    "focalLength",
    "iso",
    "exposureTime",
    "profileDescription",
    "rating",
    "fps",
)


def _b64(value: Any) -> str | None:
    return None if value is None else base64.b64encode(bytes(value)).decode()


def asset_answer(found: dict[str, Any]) -> dict[str, Any]:
    """``AssetResponseDto`` as Immich's ``mapAsset(asset)`` (no viewer: the owner's view)."""
    answer = to_asset_response(
        found["row"],
        found["exif"],
        owner=found["owner"],
        stack=found["stack"],
        resized=found["resized"],
    )
    data: dict[str, Any] = dump(answer)
    return data


def asset_update(found: dict[str, Any], tags: Any) -> dict[str, Any]:
    """``on_asset_update``'s ``AssetResponseDto``: Immich's ``mapAsset`` of the asset with its
    exif, tags and people but no owner or stack (``getByIdsWithAllRelationsButStacks``)."""
    answer = to_asset_response(found["row"], found["exif"], resized=True, tags=tags)
    data: dict[str, Any] = dump(answer)
    data.pop("stack", None)
    return data


def sync_asset_v2(row: Any) -> dict[str, Any]:
    data: dict[str, Any] = dump(
        {
            "id": row["id"],
            "ownerId": row["ownerId"],
            "originalFileName": row["originalFileName"],
            "thumbhash": _b64(row["thumbhash"]),
            "checksum": _b64(row["checksum"]),
            "fileCreatedAt": row["fileCreatedAt"],
            "fileModifiedAt": row["fileModifiedAt"],
            "createdAt": row["createdAt"],
            "localDateTime": row["localDateTime"],
            "duration": duration_ms(row["duration"]),
            "type": row["type"],
            "deletedAt": row["deletedAt"],
            "isFavorite": bool(row["isFavorite"]),
            "visibility": row["visibility"],
            "livePhotoVideoId": row["livePhotoVideoId"],
            "stackId": row["stackId"],
            "libraryId": row["libraryId"],
            "width": row["width"],
            "height": row["height"],
            "isEdited": bool(row["isEdited"]),
        }
    )
    return data


def sync_asset_exif_v1(exif: Any) -> dict[str, Any]:
    values = {name: exif[name] for name in SYNC_EXIF_FIELDS}
    for name in ("fNumber", "focalLength", "fps", "latitude", "longitude"):
        if values[name] is not None:
            values[name] = float(values[name])
    data: dict[str, Any] = dump({"assetId": exif["assetId"], **values})
    return data


def upload_ready(found: dict[str, Any]) -> dict[str, Any] | None:
    """``AssetUploadReadyV2``'s payload; None without EXIF (Immich sends none then)."""
    if found["exif"] is None:
        return None
    return {"asset": sync_asset_v2(found["row"]), "exif": sync_asset_exif_v1(found["exif"])}


def version_dto(version: str) -> dict[str, Any]:
    major, minor, patch, prerelease = version_numbers(version)
    return {"major": major, "minor": minor, "patch": patch, "prerelease": prerelease}


def _order(numbers: tuple[int, int, int, int | None]) -> tuple[int, int, int, float]:
    """Semver order: a release sorts after its own pre-releases."""
    major, minor, patch, pre = numbers
    return major, minor, patch, float("inf") if pre is None else pre


def release_event(server: str, state: dict[str, Any], channel: str) -> dict[str, Any] | None:
    """``ReleaseEventV1`` from the version check's stored state (Immich's ``asNotification``);
    None when no check has found a release yet."""
    release = state.get("releaseVersion")
    if not release:
        return None
    try:
        mine, theirs = version_numbers(server), version_numbers(str(release))
    except ValueError:
        return None
    newer = _order(theirs) > _order(mine)
    if theirs[3] is not None and channel != "releaseCandidate":
        newer = False  # pre-releases count only on the release-candidate channel
    kinds = ("major", "minor", "patch")
    kind = next((kinds[i] for i in range(3) if mine[i] != theirs[i]), None)
    if kind is None and mine[3] != theirs[3]:
        kind = "prerelease"
    elif kind is not None and theirs[3] is not None:
        kind = "pre" + kind
    return {
        "isAvailable": newer,
        "checkedAt": state.get("checkedAt"),
        "serverVersion": version_dto(server),
        "releaseVersion": version_dto(str(release)),
        "type": kind,
    }
