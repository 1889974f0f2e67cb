"""User preference DTOs (Immich's names): one response and one update class per section."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from immich.api.dto import UNSET, field, hints, parse
from immich.api.user_dtos import MAX_SAFE_INTEGER, UserAvatarColor


class AssetOrder(enum.StrEnum):
    """Asset sort order"""

    asc = "asc"
    desc = "desc"


# --- answers -----------------------------------------------------------------------------


@attrs.frozen
class AlbumsResponse:
    defaultAssetOrder: AssetOrder = field(description="Default asset order for albums")


@attrs.frozen
class CastResponse:
    gCastEnabled: bool = field(description="Whether Google Cast is enabled")


@attrs.frozen
class DownloadResponse:
    archiveSize: int = field(description="Maximum archive size in bytes")
    includeEmbeddedVideos: bool = field(
        description="Whether to include embedded videos in downloads"
    )


@attrs.frozen
class EmailNotificationsResponse:
    albumInvite: bool = field(
        description="Whether to receive email notifications for album invites"
    )
    albumUpdate: bool = field(
        description="Whether to receive email notifications for album updates"
    )
    enabled: bool = field(description="Whether email notifications are enabled")


@attrs.frozen
class FoldersResponse:
    enabled: bool = field(description="Whether folders are enabled")
    sidebarWeb: bool = field(description="Whether folders appear in web sidebar")


@attrs.frozen
class MemoriesResponse:
    duration: int = field(description="Memory duration in seconds")
    enabled: bool = field(description="Whether memories are enabled")


@attrs.frozen
class PeopleResponse:
    enabled: bool = field(description="Whether people are enabled")
    sidebarWeb: bool = field(description="Whether people appear in web sidebar")
    minimumFaces: int = field(default=UNSET, description="People face threshold", minimum=1)


@attrs.frozen
class PurchaseResponse:
    hideBuyButtonUntil: str = field(description="Date until which to hide buy button")
    showSupportBadge: bool = field(description="Whether to show support badge")


@attrs.frozen
class RatingsResponse:
    enabled: bool = field(description="Whether ratings are enabled")


@attrs.frozen
class RecentlyAddedResponse:
    sidebarWeb: bool = field(
        description="Whether the recently added page appears in the web sidebar"
    )


@attrs.frozen
class SharedLinksResponse:
    enabled: bool = field(description="Whether shared links are enabled")
    sidebarWeb: bool = field(description="Whether shared links appear in web sidebar")


@attrs.frozen
class TagsResponse:
    enabled: bool = field(description="Whether tags are enabled")
    sidebarWeb: bool = field(description="Whether tags appear in web sidebar")


@attrs.frozen
class UserPreferencesResponseDto:
    albums: AlbumsResponse = field(description="Album preferences")
    cast: CastResponse = field(description="Cast preferences")
    download: DownloadResponse = field(description="Download preferences")
    emailNotifications: EmailNotificationsResponse = field(
        description="Email notification preferences"
    )
    folders: FoldersResponse = field(description="Folder preferences")
    memories: MemoriesResponse = field(description="Memory preferences")
    people: PeopleResponse = field(description="People preferences")
    purchase: PurchaseResponse = field(description="Purchase preferences")
    ratings: RatingsResponse = field(description="Rating preferences")
    recentlyAdded: RecentlyAddedResponse = field(description="Recently added preferences")
    sharedLinks: SharedLinksResponse = field(description="Shared link preferences")
    tags: TagsResponse = field(description="Tag preferences")


# --- updates (every field optional) --------------------------------------------------------


@attrs.frozen
class AlbumsUpdate:
    defaultAssetOrder: AssetOrder = field(
        default=UNSET, description="Default asset order for albums"
    )


@attrs.frozen
class AvatarUpdate:
    color: UserAvatarColor = field(default=UNSET, description="Avatar color")


@attrs.frozen
class CastUpdate:
    gCastEnabled: bool = field(default=UNSET, description="Whether Google Cast is enabled")


@attrs.frozen
class DownloadUpdate:
    archiveSize: int = field(
        default=UNSET,
        description="Maximum archive size in bytes",
        minimum=1,
        maximum=MAX_SAFE_INTEGER,
    )
    includeEmbeddedVideos: bool = field(
        default=UNSET, description="Whether to include embedded videos in downloads"
    )


@attrs.frozen
class EmailNotificationsUpdate:
    albumInvite: bool = field(
        default=UNSET, description="Whether to receive email notifications for album invites"
    )
    albumUpdate: bool = field(
        default=UNSET, description="Whether to receive email notifications for album updates"
    )
    enabled: bool = field(default=UNSET, description="Whether email notifications are enabled")


@attrs.frozen
class FoldersUpdate:
    enabled: bool = field(default=UNSET, description="Whether folders are enabled")
    sidebarWeb: bool = field(default=UNSET, description="Whether folders appear in web sidebar")


@attrs.frozen
class MemoriesUpdate:
    duration: int = field(
        default=UNSET,
        description="Memory duration in seconds",
        minimum=1,
        maximum=MAX_SAFE_INTEGER,
    )
    enabled: bool = field(default=UNSET, description="Whether memories are enabled")


@attrs.frozen
class PeopleUpdate:
    enabled: bool = field(default=UNSET, description="Whether people are enabled")
    minimumFaces: int = field(
        default=UNSET, description="People face threshold", minimum=1, maximum=MAX_SAFE_INTEGER
    )
    sidebarWeb: bool = field(default=UNSET, description="Whether people appear in web sidebar")


@attrs.frozen
class PurchaseUpdate:
    hideBuyButtonUntil: str = field(
        default=UNSET, description="Date until which to hide buy button"
    )
    showSupportBadge: bool = field(default=UNSET, description="Whether to show support badge")


@attrs.frozen
class RatingsUpdate:
    enabled: bool = field(default=UNSET, description="Whether ratings are enabled")


@attrs.frozen
class RecentlyAddedUpdate:
    sidebarWeb: bool = field(
        default=UNSET, description="Whether the recently added page appears in the web sidebar"
    )


@attrs.frozen
class SharedLinksUpdate:
    enabled: bool = field(default=UNSET, description="Whether shared links are enabled")
    sidebarWeb: bool = field(
        default=UNSET, description="Whether shared links appear in web sidebar"
    )


@attrs.frozen
class TagsUpdate:
    enabled: bool = field(default=UNSET, description="Whether tags are enabled")
    sidebarWeb: bool = field(default=UNSET, description="Whether tags appear in web sidebar")


@attrs.frozen
class UserPreferencesUpdateDto:
    albums: AlbumsUpdate = field(default=UNSET, description="Album preferences")
    avatar: AvatarUpdate = field(default=UNSET, description="Avatar preferences")
    cast: CastUpdate = field(default=UNSET, description="Cast preferences")
    download: DownloadUpdate = field(default=UNSET, description="Download preferences")
    emailNotifications: EmailNotificationsUpdate = field(
        default=UNSET, description="Email notification preferences"
    )
    folders: FoldersUpdate = field(default=UNSET, description="Folder preferences")
    memories: MemoriesUpdate = field(default=UNSET, description="Memory preferences")
    people: PeopleUpdate = field(default=UNSET, description="People preferences")
    purchase: PurchaseUpdate = field(default=UNSET, description="Purchase preferences")
    ratings: RatingsUpdate = field(default=UNSET, description="Rating preferences")
    recentlyAdded: RecentlyAddedUpdate = field(
        default=UNSET, description="Recently added preferences"
    )
    sharedLinks: SharedLinksUpdate = field(default=UNSET, description="Shared link preferences")
    tags: TagsUpdate = field(default=UNSET, description="Tag preferences")


def to_preferences(prefs: Mapping[str, Mapping[str, Any]]) -> UserPreferencesResponseDto:
    """The full preferences (defaults merged with the stored difference) as the answer."""
    sections = hints(UserPreferencesResponseDto)
    return UserPreferencesResponseDto(
        **{name: parse(tp, dict(prefs.get(name, {}))) for name, tp in sections.items()}
    )
