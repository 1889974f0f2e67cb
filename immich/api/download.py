"""/api/download: what a download holds (``getDownloadInfo``) and the zip of chosen assets
(``downloadArchive``), streamed. Shared-link access (``key``/``slug``) is not served yet."""

from __future__ import annotations

from starlette.responses import Response, StreamingResponse

from immich.api.download_dtos import (
    DownloadArchiveDto,
    DownloadInfoDto,
    DownloadResponseDto,
    to_download_response,
)
from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.services import download as service
from immich.services.auth import AuthContext

router = Router()
TAG = "Download"


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


@router.route(
    "POST",
    "/download/info",
    operation_id="getDownloadInfo",
    tag=TAG,
    response=DownloadResponseDto,
    status=201,
    permission="asset.download",
    shared_link=True,
)
async def get_download_info(call: Call[DownloadInfoDto]) -> DownloadResponseDto:
    """Retrieve download information"""
    dto = call.body
    info = await service.get_download_info(
        call.db,
        _auth(call),
        media=call.ctx.settings.media_location,
        asset_ids=None if dto.assetIds is UNSET else dto.assetIds,
        album_id=None if dto.albumId is UNSET else dto.albumId,
        user_id=None if dto.userId is UNSET else dto.userId,
        archive_size=None if dto.archiveSize is UNSET else dto.archiveSize,
    )
    return to_download_response(info)


@router.route(
    "POST",
    "/download/archive",
    operation_id="downloadArchive",
    tag=TAG,
    response=bytes,
    content_type="application/octet-stream",
    permission="asset.download",
    shared_link=True,
)
async def download_archive(call: Call[DownloadArchiveDto]) -> Response:
    """Download asset archive

    The database is read (access, names, paths) before the response starts; the zip is then
    generated from the files in a worker thread as the client reads, holding no connection.
    """
    dto = call.body
    # Reads on the pool, each query on a connection given back at once: the archive may stream
    # for minutes and must hold no transaction meanwhile (keep it so when call.db arrives).
    archive = await service.build_archive(
        call.db, _auth(call), dto.assetIds, edited=dto.edited is True
    )
    return StreamingResponse(
        service.chunks(archive),
        media_type="application/octet-stream",
        headers={"Content-Length": str(len(archive))},
    )
