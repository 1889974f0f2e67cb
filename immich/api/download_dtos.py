"""Download DTOs (Immich 3.1's names)."""

from __future__ import annotations

import attrs

from immich.api.dto import UNSET, field
from immich.services.download import DownloadInfo

MAX_SAFE_INTEGER = 9007199254740991


@attrs.frozen
class DownloadInfoDto:
    albumId: str = field(default=UNSET, description="Album ID to download", format="uuid")
    archiveSize: int = field(
        default=UNSET,
        description="Archive size limit in bytes",
        minimum=1,
        maximum=MAX_SAFE_INTEGER,
    )
    assetIds: list[str] = field(default=UNSET, description="Asset IDs to download", format="uuid")
    userId: str = field(default=UNSET, description="User ID to download assets from", format="uuid")


@attrs.frozen
class DownloadArchiveDto:
    assetIds: list[str] = field(description="Asset IDs", format="uuid")
    edited: bool = field(default=UNSET, description="Download edited asset if available")


@attrs.frozen
class DownloadArchiveInfo:
    assetIds: list[str] = field(description="Asset IDs in this archive", format="uuid")
    size: int = field(
        description="Archive size in bytes", minimum=-MAX_SAFE_INTEGER, maximum=MAX_SAFE_INTEGER
    )


@attrs.frozen
class DownloadResponseDto:
    archives: list[DownloadArchiveInfo] = field(description="Archive information")
    totalSize: int = field(
        description="Total size in bytes", minimum=-MAX_SAFE_INTEGER, maximum=MAX_SAFE_INTEGER
    )


def to_download_response(info: DownloadInfo) -> DownloadResponseDto:
    return DownloadResponseDto(
        archives=[
            DownloadArchiveInfo(assetIds=[str(i) for i in a.asset_ids], size=a.size)
            for a in info.archives
        ],
        totalSize=info.total_size,
    )
