"""The payloads of live events that are built from rows on the api replica (the bus carries
only the asset's id): Immich's ``on_upload_success`` answer and ``AssetUploadReadyV2``'s
``{asset: SyncAssetV2, exif: SyncAssetExifV1}`` (job.service.ts), shaped as the spec's
schemas, so the phone app can add a new upload without a sync round trip."""

from __future__ import annotations

import base64
from typing import Any

from immich.api.asset_dtos import duration_ms, to_asset_response
from immich.api.dto import dump

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
