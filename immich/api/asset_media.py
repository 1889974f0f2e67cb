"""GET /api/assets/{id}/thumbnail: an asset's generated preview, thumbnail or fullsize image.

As Immich's ``viewAsset``: ``asset.view`` access (``immich.services.access``; locked assets
only from an elevated session), else 400 "Not found or no asset.view access". ``size``
defaults to ``thumbnail``; ``fullsize`` redirects (302) to the original when browsers can show
it, and to ``size=preview`` when no fullsize copy was made; ``original`` (deprecated) redirects
to the original. ``edited=true`` prefers the edited rendition and falls back to the unedited
one (Immich's web app always asks for it); ``edited=false`` never answers an edited file.
A file not made yet answers 404 "Asset media not found". Answers carry
Immich's ``Cache-Control`` (private, one day) and an ETag from the file row (id +
``updatedAt``, which moves whenever the file is rewritten); a matching ``If-None-Match``
answers 304.
"""

from __future__ import annotations

import enum
import mimetypes
import os
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, urlencode

import attrs
from starlette.responses import FileResponse, RedirectResponse, Response

from immich.api.dto import UNSET, field
from immich.api.errors import NotFound
from immich.api.routing import Call, Router
from immich.api.shared_link_dtos import shared_link_file_name
from immich.db.repos import asset_files
from immich.db.repos import assets as assets_repo
from immich.services import access

router = Router()
TAG = "Assets"

CACHE_CONTROL = "private, max-age=86400, no-transform"  # Immich's PrivateWithCache
WEB_SUPPORTED_IMAGES = frozenset({".avif", ".gif", ".jpeg", ".jpg", ".png", ".webp"})
MEDIA_NOT_FOUND = "Asset media not found"
URI_COMPONENT_SAFE = "!*'()"  # what JavaScript's encodeURIComponent leaves, besides -_.~


class AssetMediaSize(enum.StrEnum):
    """Asset media size"""

    original = "original"
    fullsize = "fullsize"
    preview = "preview"
    thumbnail = "thumbnail"


@attrs.frozen
class AssetMediaSizeDto:
    edited: bool = field(default=False, description="Return edited asset if available")
    size: AssetMediaSize = field(default=UNSET)


def etag(file_row: Any) -> str:
    stamp = int(file_row["updatedAt"].timestamp() * 1_000_000)
    return f'"{file_row["id"].hex}-{stamp:x}"'


def not_modified(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110's weak comparison of an ``If-None-Match`` list with our ETag."""
    if not if_none_match:
        return False
    wanted = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in wanted or tag in wanted


def _redirect(path: str, params: dict[str, str]) -> Response:
    return RedirectResponse(f"{path}?{urlencode(params)}", status_code=302)


@router.route(
    "GET",
    "/assets/{id}/thumbnail",
    operation_id="viewAsset",
    tag=TAG,
    response=bytes,
    content_type="application/octet-stream",
    permission="asset.view",
    shared_link=True,
)
async def view_asset(call: Call[None, AssetMediaSizeDto]) -> Response:
    """View asset thumbnail

    Retrieve the thumbnail image for the specified asset. Viewing the fullsize thumbnail might
    redirect to downloadAsset, which requires a different permission.
    """
    query = call.query
    asset_id = call.path["id"]
    pool = call.db
    await access.require_assets(
        pool, call.auth, "asset.view", [asset_id], elevated=access.is_elevated(call.auth)
    )
    asset = await assets_repo.get(pool, asset_id)
    if asset is None:
        raise NotFound(MEDIA_NOT_FOUND)
    size = AssetMediaSize.thumbnail if query.size is UNSET else query.size
    params = dict(call.request.query_params)
    if size is AssetMediaSize.original or (
        size is AssetMediaSize.fullsize
        and not query.edited
        and Path(asset["originalPath"]).suffix.lower() in WEB_SUPPORTED_IMAGES
    ):
        params.pop("size", None)
        return _redirect("original", params)
    file_type = cast(asset_files.FileType, size.value)
    row = await asset_files.get(pool, asset_id, file_type, is_edited=query.edited)
    if row is None and query.edited:
        row = await asset_files.get(pool, asset_id, file_type, is_edited=False)
    if row is None and size is AssetMediaSize.fullsize:
        params["size"] = AssetMediaSize.preview.value
        return _redirect(call.request.url.path, params)
    if row is None:
        raise NotFound(MEDIA_NOT_FOUND)
    tag = etag(row)
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": tag}
    if not_modified(call.request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    path = row["path"]
    try:
        stat = os.stat(path)
    except OSError:
        raise NotFound(MEDIA_NOT_FOUND) from None
    base = shared_link_file_name(call.auth, asset_id, Path(asset["originalFileName"]).stem)
    name = f"{base}_{size.value}{Path(path).suffix}"
    encoded = quote(name, safe=URI_COMPONENT_SAFE)
    headers["Content-Disposition"] = f"inline; filename*=UTF-8''{encoded}"
    media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return FileResponse(path, headers=headers, media_type=media_type, stat_result=stat)
