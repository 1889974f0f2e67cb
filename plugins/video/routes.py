"""/api/assets/{id}/video/...: playback with HTTP Range, and Immich 3.1's HLS streaming.

The video plugin's HTTP surface (``register_routes``): served only where the plugin is loaded,
listed in ``/api/spec.json`` like the core's routes. Playback serves the transcoded MP4 when
there is one, else the original, through Starlette's FileResponse (single and multiple byte
ranges: 206 with Content-Range, 416 for a range outside the file). Streaming is delegated to
the service the plugin's ``startup`` puts in ``ctx.state["video.streaming"]``
(``VideoStreaming``); without it (a process without the api role), streaming answers as
Immich does with real-time transcoding disabled. Access as Immich's ``asset.view``: the
owner, or a member of an album holding the asset (shared links are not implemented yet).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs
from starlette.responses import FileResponse, Response

from immich.api.dto import UNSET, UUID_RE, field
from immich.api.errors import BadRequest, NotFound, ValidationFailed
from immich.api.routing import Call, Router
from immich.db.repos import asset_files
from immich.db.repos import assets as assets_repo
from immich.services import access
from immich.storage import mime

from .jobs import STREAMING_STATE_KEY

router = Router()
TAG = "Assets"
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
PRIVATE_WITH_CACHE = "private, max-age=86400, no-transform"  # Immich's CacheControl
SEGMENT_PATTERN = r"^(init\.mp4|seg_\d+\.m4s)$"
_SEGMENT_RE = re.compile(SEGMENT_PATTERN)
_MAX_SAFE_INT = 9007199254740991


class VideoStreaming(Protocol):
    """What the streaming endpoints need (implemented by ``plugins.video.hls.HlsService``).

    Errors are ``immich.api.errors.ApiError``s with Immich's messages."""

    async def start_session(self, asset: Mapping[str, Any], user_id: uuid.UUID) -> str: ...

    async def media_playlist(
        self,
        asset: Mapping[str, Any],
        user_id: uuid.UUID,
        session_id: uuid.UUID,
        variant: int,
        position: float | None,
    ) -> str: ...

    async def segment(
        self,
        asset: Mapping[str, Any],
        user_id: uuid.UUID,
        session_id: uuid.UUID,
        variant: int,
        filename: str,
        init_hint: int | None,
    ) -> Path: ...

    async def end_session(
        self, asset: Mapping[str, Any], user_id: uuid.UUID, session_id: uuid.UUID
    ) -> None: ...


@attrs.define
class AssetVideoQuery:
    """Shared-link credentials (accepted; shared links come later)."""

    key: str = field(default=UNSET)
    slug: str = field(default=UNSET)


async def _viewable(call: Call) -> Any:
    """The asset row if the caller may view it, else Immich's access error."""
    pool = call.db
    await access.require_assets(
        pool,
        call.auth,
        "asset.view",
        [call.path["id"]],
        elevated=access.is_elevated(call.auth),
    )
    row = await assets_repo.get(pool, call.path["id"])
    if row is None:
        raise NotFound("Asset media not found")
    return row


def _streaming(call: Call) -> VideoStreaming:
    service: VideoStreaming | None = call.ctx.state.get(STREAMING_STATE_KEY)
    if service is None:
        raise BadRequest("Real-time transcoding is not enabled")
    return service


@router.route(
    "GET",
    "/assets/{id}/video/playback",
    operation_id="playAssetVideo",
    tag=TAG,
    response=bytes,
    content_type="application/octet-stream",
    permission="asset.view",
    shared_link=True,
)
async def play_asset_video(call: Call[None, AssetVideoQuery]) -> Response:
    """Play asset video

    Streams the video file for the specified asset. This endpoint also supports byte range
    requests.
    """
    asset = await _viewable(call)
    if asset["type"] != "VIDEO":
        raise BadRequest("Asset is not a video")
    encoded = await asset_files.get(call.db, asset["id"], "encoded_video")
    path = Path(encoded["path"]) if encoded is not None else None
    if path is None or not path.is_file():
        path = Path(asset["originalPath"])
        if not path.is_file():
            raise NotFound("Asset media not found")
    return FileResponse(
        path, media_type=mime.mime_type(path.name), headers={"Cache-Control": PRIVATE_WITH_CACHE}
    )


@router.route(
    "GET",
    "/assets/{id}/video/stream/main.m3u8",
    operation_id="getMainPlaylist",
    tag=TAG,
    response=str,
    content_type=PLAYLIST_TYPE,
    permission="asset.view",
    shared_link=True,
)
async def get_main_playlist(call: Call[None, AssetVideoQuery]) -> Response:
    """Get HLS main playlist

    Returns an HLS main playlist with all available variants for the asset.
    """
    asset = await _viewable(call)
    text = await _streaming(call).start_session(asset, call.user["id"])
    return Response(text, media_type=PLAYLIST_TYPE, headers={"Cache-Control": "no-store"})


@router.route(
    "DELETE",
    "/assets/{id}/video/stream/{sessionId}",
    operation_id="endSession",
    tag=TAG,
    permission="asset.view",
    shared_link=True,
)
async def end_session(call: Call[None, AssetVideoQuery]) -> None:
    """End HLS streaming session

    Releases server resources for the streaming session.
    """
    session_id = _session_id(call)
    asset = await _viewable(call)
    await _streaming(call).end_session(asset, call.user["id"], session_id)


@router.route(
    "GET",
    "/assets/{id}/video/stream/{sessionId}/{variantIndex}/playlist.m3u8",
    operation_id="getMediaPlaylist",
    tag=TAG,
    response=str,
    content_type=PLAYLIST_TYPE,
    permission="asset.view",
    shared_link=True,
)
async def get_media_playlist(call: Call[None, AssetVideoQuery]) -> Response:
    """Get HLS media playlist

    Returns an HLS media playlist for one variant of the streaming session.
    """
    session_id, variant = _session_id(call), _variant(call)
    position = _header_number(call, "x-immich-hls-pos", integer=False)
    asset = await _viewable(call)
    text = await _streaming(call).media_playlist(
        asset, call.user["id"], session_id, variant, position
    )
    return Response(text, media_type=PLAYLIST_TYPE, headers={"Cache-Control": "no-store"})


@router.route(
    "GET",
    "/assets/{id}/video/stream/{sessionId}/{variantIndex}/{filename}",
    operation_id="getSegment",
    tag=TAG,
    response=bytes,
    content_type="application/octet-stream",
    permission="asset.view",
    shared_link=True,
)
async def get_segment(call: Call[None, AssetVideoQuery]) -> Response:
    """Get HLS segment or init file

    Streams an HLS init segment (init.mp4) or media segment (seg_N.m4s).
    """
    session_id, variant = _session_id(call), _variant(call)
    filename = call.path["filename"]
    if not _SEGMENT_RE.match(filename):
        raise ValidationFailed(
            [
                {
                    "path": ["filename"],
                    "message": f"Invalid string: must match pattern /{SEGMENT_PATTERN}/",
                }
            ]
        )
    hint = _header_number(call, "x-immich-hls-msn", integer=True)
    asset = await _viewable(call)
    path = await _streaming(call).segment(
        asset,
        call.user["id"],
        session_id,
        variant,
        filename,
        None if hint is None else int(hint),
    )
    return FileResponse(path, media_type="video/mp4", headers={"Cache-Control": PRIVATE_WITH_CACHE})


def _session_id(call: Call) -> uuid.UUID:
    value = call.path["sessionId"]
    if not UUID_RE.match(value):
        raise ValidationFailed([{"path": ["sessionId"], "message": "Invalid UUID"}])
    return uuid.UUID(value)


def _variant(call: Call) -> int:
    value = call.path["variantIndex"]
    if not value.isdigit():
        raise ValidationFailed(
            [{"path": ["variantIndex"], "message": "Invalid input: expected number, received NaN"}]
        )
    number = int(value)
    if number > _MAX_SAFE_INT:
        raise ValidationFailed(
            [
                {
                    "path": ["variantIndex"],
                    "message": f"Too big: expected number to be <={_MAX_SAFE_INT}",
                }
            ]
        )
    return number


def _header_number(call: Call, name: str, *, integer: bool) -> float | None:
    raw = call.request.headers.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "int" if integer else "number"
        raise ValidationFailed(
            [{"path": [name], "message": f"Invalid input: expected {kind}, received NaN"}]
        ) from None
    if value < 0 or value != value or value == float("inf"):
        raise ValidationFailed(
            [{"path": [name], "message": "Too small: expected number to be >=0"}]
        )
    return float(value)
