"""Partner DTOs (Immich 3.1's names)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from immich.api.dto import UNSET, field
from immich.api.user_dtos import UserAvatarColor, avatar_color
from immich.services.partners import PartnerView


class PartnerDirection(enum.StrEnum):
    """Partner direction"""

    shared_by = "shared-by"
    shared_with = "shared-with"


@attrs.frozen
class PartnerSearchDto:
    direction: PartnerDirection = field()


@attrs.frozen
class PartnerCreateDto:
    sharedWithId: str = field(description="User ID to share with", format="uuid")


@attrs.frozen
class PartnerUpdateDto:
    inTimeline: bool = field(description="Show partner assets in timeline")


@attrs.frozen
class PartnerResponseDto:
    """Partner response"""

    avatarColor: UserAvatarColor = field(description="Avatar color")
    email: str = field(description="User email", format="email")
    id: str = field(description="User ID", format="uuid")
    name: str = field(description="User name")
    profileChangedAt: dt.datetime = field(description="Profile change date", format="date-time")
    profileImagePath: str = field(description="Profile image path")
    inTimeline: bool = field(default=UNSET, description="Show in timeline")


def to_partner(view: PartnerView) -> PartnerResponseDto:
    user = view.user
    return PartnerResponseDto(
        avatarColor=avatar_color(user),
        email=user["email"],
        id=str(user["id"]),
        name=user["name"],
        profileChangedAt=user["profileChangedAt"],
        profileImagePath=user["profileImagePath"],
        inTimeline=view.in_timeline,
    )
