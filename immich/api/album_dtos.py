"""Album DTOs (Immich 3.1's names) and the album row -> AlbumResponseDto mapper."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from immich.api.asset_dtos import BulkIdErrorReason
from immich.api.dto import UNSET, field
from immich.api.preference_dtos import AssetOrder
from immich.api.user_dtos import MAX_SAFE_INTEGER, UserResponseDto, to_user


class AlbumUserRole(enum.StrEnum):
    """Album user role"""

    editor = "editor"
    owner = "owner"
    viewer = "viewer"


@attrs.frozen
class AlbumUserResponseDto:
    role: AlbumUserRole = field()
    user: UserResponseDto = field()


@attrs.frozen
class ContributorCountResponseDto:
    assetCount: int = field(
        description="Number of assets contributed", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    userId: str = field(description="User ID", format="uuid")


@attrs.frozen
class AlbumResponseDto:
    albumName: str = field(description="Album name")
    albumThumbnailAssetId: str | None = field(description="Thumbnail asset ID", format="uuid")
    albumUsers: list[AlbumUserResponseDto] = field(
        description="First entry is always the album owner. Second entry is the auth user, if "
        "it differs from the owner. The rest are ordered alphabetically.",
        min_items=1,
    )
    assetCount: int = field(description="Number of assets", minimum=0, maximum=MAX_SAFE_INTEGER)
    createdAt: dt.datetime = field(description="Creation date")
    description: str = field(description="Album description")
    hasSharedLink: bool = field(description="Has shared link")
    id: str = field(description="Album ID", format="uuid")
    isActivityEnabled: bool = field(description="Activity feed enabled")
    shared: bool = field(description="Is shared album")
    updatedAt: dt.datetime = field(description="Last update date")
    contributorCounts: list[ContributorCountResponseDto] = field(default=UNSET)
    endDate: dt.datetime = field(default=UNSET, description="End date (latest asset)")
    lastModifiedAssetTimestamp: dt.datetime = field(
        default=UNSET, description="Last modified asset timestamp"
    )
    order: AssetOrder = field(default=UNSET)
    startDate: dt.datetime = field(default=UNSET, description="Start date (earliest asset)")


@attrs.frozen
class AlbumUserCreateDto:
    role: AlbumUserRole = field()
    userId: str = field(description="User ID", format="uuid")


@attrs.frozen
class CreateAlbumDto:
    albumName: str = field(description="Album name")
    albumUsers: list[AlbumUserCreateDto] = field(default=UNSET, description="Album users")
    assetIds: list[str] = field(default=UNSET, description="Initial asset IDs", format="uuid")
    description: str = field(default=UNSET, description="Album description")


@attrs.frozen
class GetAlbumsDto:
    assetId: str = field(
        default=UNSET,
        description="Filter albums containing this asset ID (ignores other parameters)",
        format="uuid",
    )
    id: str = field(default=UNSET, description="Album ID", format="uuid")
    isOwned: bool = field(default=UNSET, description="Filter by ownership")
    isShared: bool = field(default=UNSET, description="Filter by shared status")
    name: str = field(default=UNSET, description="Album name (exact match)")


@attrs.frozen
class AlbumsAddAssetsDto:
    albumIds: list[str] = field(description="Album IDs", format="uuid")
    assetIds: list[str] = field(description="Asset IDs", format="uuid")


@attrs.frozen
class AlbumsAddAssetsResponseDto:
    success: bool = field(description="Operation success")
    error: BulkIdErrorReason = field(default=UNSET)


def _optional(value: Any) -> Any:
    return value if value is not None else UNSET


def to_album_response(
    album: Any,
    members: Sequence[Any],
    viewer_id: Any = None,
    contributors: Sequence[Any] | None = None,
) -> AlbumResponseDto:
    """AlbumResponseDto of an album row with its aggregates (``assetCount``, ``startDate``,
    ``endDate``, ``lastModifiedAssetTimestamp``) and its users: ``members`` are user rows with
    a ``role``, the owner's role being ``owner``. Ordered as Immich: owner, viewer, the rest by
    name. ``shared``: with a member or through a link (``hasSharedLink``); ``contributors``:
    ``userId``/``assetCount`` rows, given only where Immich answers them (one shared album)."""

    def rank(member: Mapping[str, Any]) -> tuple[int, str]:
        if member["role"] == AlbumUserRole.owner:
            return (0, "")
        if viewer_id is not None and str(member["id"]) == str(viewer_id):
            return (1, "")
        return (2, str(member["name"]).lower())

    ordered = sorted(members, key=rank)
    return AlbumResponseDto(
        albumName=album["albumName"],
        albumThumbnailAssetId=(
            str(album["albumThumbnailAssetId"]) if album["albumThumbnailAssetId"] else None
        ),
        albumUsers=[
            AlbumUserResponseDto(role=AlbumUserRole(m["role"]), user=to_user(m)) for m in ordered
        ],
        assetCount=int(album["assetCount"]),
        createdAt=album["createdAt"],
        description=album["description"],
        hasSharedLink=bool(album["hasSharedLink"]),
        id=str(album["id"]),
        isActivityEnabled=album["isActivityEnabled"],
        shared=len(members) > 1 or bool(album["hasSharedLink"]),
        updatedAt=album["updatedAt"],
        contributorCounts=(
            [
                ContributorCountResponseDto(
                    assetCount=int(c["assetCount"]), userId=str(c["userId"])
                )
                for c in contributors
            ]
            if contributors is not None
            else UNSET
        ),
        endDate=_optional(album["endDate"]),
        lastModifiedAssetTimestamp=_optional(album["lastModifiedAssetTimestamp"]),
        order=AssetOrder(album["order"]),
        startDate=_optional(album["startDate"]),
    )


@attrs.frozen
class UpdateAlbumDto:
    albumName: str = field(default=UNSET, description="Album name")
    albumThumbnailAssetId: str = field(
        default=UNSET, description="Album thumbnail asset ID", format="uuid"
    )
    description: str = field(default=UNSET, description="Album description")
    isActivityEnabled: bool = field(default=UNSET, description="Enable activity feed")
    order: AssetOrder = field(default=UNSET)


@attrs.frozen
class AlbumUserAddDto:
    userId: str = field(description="User ID", format="uuid")
    role: AlbumUserRole = field(default=AlbumUserRole.editor, description="Album user role")


@attrs.frozen
class AddUsersDto:
    albumUsers: list[AlbumUserAddDto] = field(description="Album users to add", min_items=1)


@attrs.frozen
class UpdateAlbumUserDto:
    role: AlbumUserRole = field()


@attrs.frozen
class AlbumStatisticsResponseDto:
    notShared: int = field(
        description="Number of non-shared albums", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    owned: int = field(description="Number of owned albums", minimum=0, maximum=MAX_SAFE_INTEGER)
    shared: int = field(description="Number of shared albums", minimum=0, maximum=MAX_SAFE_INTEGER)
