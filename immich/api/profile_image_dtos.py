"""Profile image DTOs (Immich 3.1's names)."""

from __future__ import annotations

import datetime as dt

import attrs

from immich.api.dto import field
from immich.db.repos import Row


@attrs.frozen
class CreateProfileImageDto:
    """Multipart form of ``POST /users/profile-image`` (the endpoint streams the file)."""

    file: bytes = field(description="Profile image file")


@attrs.frozen
class CreateProfileImageResponseDto:
    profileChangedAt: dt.datetime = field(description="Profile image change date")
    profileImagePath: str = field(description="Profile image file path")
    userId: str = field(description="User ID", format="uuid")


def to_created(user: Row) -> CreateProfileImageResponseDto:
    return CreateProfileImageResponseDto(
        profileChangedAt=user["profileChangedAt"],
        profileImagePath=user["profileImagePath"],
        userId=str(user["id"]),
    )
