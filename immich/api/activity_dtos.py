"""Activity DTOs (Immich 3.1's names) and the row -> ActivityResponseDto mapper."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from immich.api.dto import UNSET, field
from immich.api.user_dtos import MAX_SAFE_INTEGER, UserResponseDto, to_user


class ReactionType(enum.StrEnum):
    """Reaction type"""

    comment = "comment"
    like = "like"


class ReactionLevel(enum.StrEnum):
    """Reaction level"""

    album = "album"
    asset = "asset"


@attrs.frozen
class ActivityResponseDto:
    assetId: str | None = field(description="Asset ID (if activity is for an asset)", format="uuid")
    createdAt: dt.datetime = field(description="Creation date")
    id: str = field(description="Activity ID", format="uuid")
    type: ReactionType = field()
    user: UserResponseDto = field()
    comment: str | None = field(default=UNSET, description="Comment text (for comment activities)")


@attrs.frozen
class ActivityCreateDto:
    """Activity create"""

    albumId: str = field(description="Album ID", format="uuid")
    type: ReactionType = field()
    assetId: str = field(
        default=UNSET, description="Asset ID (if activity is for an asset)", format="uuid"
    )
    comment: str = field(default=UNSET, description="Comment text (required if type is comment)")


@attrs.frozen
class ActivitySearchDto:
    albumId: str = field(description="Album ID", format="uuid")
    assetId: str = field(
        default=UNSET, description="Asset ID (if activity is for an asset)", format="uuid"
    )
    level: ReactionLevel = field(default=UNSET)
    type: ReactionType = field(default=UNSET)
    userId: str = field(default=UNSET, description="Filter by user ID", format="uuid")


@attrs.frozen
class ActivityDto:
    albumId: str = field(description="Album ID", format="uuid")
    assetId: str = field(
        default=UNSET, description="Asset ID (if activity is for an asset)", format="uuid"
    )


@attrs.frozen
class ActivityStatisticsResponseDto:
    comments: int = field(description="Number of comments", minimum=0, maximum=MAX_SAFE_INTEGER)
    likes: int = field(description="Number of likes", minimum=0, maximum=MAX_SAFE_INTEGER)


def to_activity(row: Any, user: Any) -> ActivityResponseDto:
    return ActivityResponseDto(
        assetId=str(row["assetId"]) if row["assetId"] else None,
        createdAt=row["createdAt"],
        id=str(row["id"]),
        type=ReactionType.like if row["isLiked"] else ReactionType.comment,
        user=to_user(user),
        comment=row["comment"],
    )
