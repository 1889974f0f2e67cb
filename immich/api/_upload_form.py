"""The text fields of ``POST /assets`` checked against ``AssetMediaCreateDto``.

The upload service streams the multipart body itself and asks for the fields' check once the
body is in (its ``parse_fields``), so the rules stay the DTO's and the service stays HTTP-free.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from immich.api._dto_base import NUL_MESSAGE
from immich.api.asset_dtos import AssetMediaCreateDto
from immich.api.dto import parse
from immich.errors import ValidationFailed
from immich.services.upload import ASSET_FIELD, SIDECAR_FIELD, UploadFields


def parse_upload_fields(fields: Mapping[str, str], has_sidecar: bool) -> UploadFields:
    """The form's fields as the service's record; ``ValidationFailed`` as Immich words it."""
    data: dict[str, Any] = dict(fields)
    nul = [{"path": [k], "message": NUL_MESSAGE} for k, v in data.items() if "\0" in k + v]
    if nul:  # fields outside the DTO (deviceAssetId, deviceId) are stored too
        raise ValidationFailed(nul)
    if "metadata" in data:
        try:
            data["metadata"] = json.loads(data["metadata"])
        except ValueError:
            raise ValidationFailed(
                [{"path": ["metadata"], "message": "Invalid input: expected array"}]
            ) from None
    data[ASSET_FIELD] = b""
    if has_sidecar:
        data[SIDECAR_FIELD] = b""
    dto = parse(AssetMediaCreateDto, data, coerce=True)
    return UploadFields(
        file_created_at=dto.fileCreatedAt,
        file_modified_at=dto.fileModifiedAt,
        filename=dto.filename or None,
        is_favorite=bool(dto.isFavorite),
        duration=dto.duration or None,
        visibility=str(dto.visibility or "timeline"),
        live_photo_video_id=dto.livePhotoVideoId or None,
        metadata=tuple((m.key, m.value) for m in dto.metadata or ()),
    )
