"""User answers: ``UserResponseDto`` and ``UserAdminResponseDto`` from a ``user`` row."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from immich.api.dto import field

AvatarColor = Literal[
    "primary", "pink", "red", "yellow", "blue", "green", "purple", "orange", "gray", "amber"
]
AVATAR_COLORS: tuple[str, ...] = AvatarColor.__args__  # type: ignore[attr-defined]
UserStatus = Literal["active", "removing", "deleted"]


@attrs.frozen
class UserLicense:
    activatedAt: dt.datetime = field(description="Activation date")
    activationKey: str = field(description="Activation key")
    licenseKey: str = field(description="License key")


@attrs.frozen
class UserResponseDto:
    avatarColor: AvatarColor = field(description="Avatar color")
    email: str = field(description="User email", format="email")
    id: str = field(description="User ID", format="uuid")
    name: str = field(description="User name")
    profileChangedAt: dt.datetime = field(description="Profile change date", format="date-time")
    profileImagePath: str = field(description="Profile image path")


@attrs.frozen
class UserAdminResponseDto:
    avatarColor: AvatarColor = field(description="Avatar color")
    createdAt: dt.datetime = field(description="Creation date", format="date-time")
    deletedAt: dt.datetime | None = field(description="Deletion date", format="date-time")
    email: str = field(description="User email", format="email")
    id: str = field(description="User ID", format="uuid")
    isAdmin: bool = field(description="Is admin user")
    license: UserLicense | None = field(description="User license")
    name: str = field(description="User name")
    oauthId: str = field(description="OAuth ID")
    profileChangedAt: dt.datetime = field(description="Profile change date", format="date-time")
    profileImagePath: str = field(description="Profile image path")
    quotaSizeInBytes: int | None = field(description="Storage quota in bytes")
    quotaUsageInBytes: int | None = field(description="Storage usage in bytes")
    shouldChangePassword: bool = field(description="Require password change on next login")
    status: UserStatus = field(description="User status")
    storageLabel: str | None = field(description="Storage label")
    updatedAt: dt.datetime = field(description="Last update date", format="date-time")


def avatar_color(user: Any) -> str:
    """The stored colour, else one derived from the email (stable across requests)."""
    if user["avatarColor"]:
        return str(user["avatarColor"])
    digest = hashlib.sha1(str(user["email"]).lower().encode()).digest()
    return AVATAR_COLORS[digest[0] % len(AVATAR_COLORS)]


def to_user(user: Any) -> UserResponseDto:
    return UserResponseDto(
        avatarColor=avatar_color(user),  # type: ignore[arg-type]
        email=user["email"],
        id=str(user["id"]),
        name=user["name"],
        profileChangedAt=user["profileChangedAt"],
        profileImagePath=user["profileImagePath"],
    )


def to_user_admin(user: Any, license: Mapping[str, Any] | None = None) -> UserAdminResponseDto:
    lic = None
    if license:
        lic = UserLicense(
            activatedAt=dt.datetime.fromisoformat(
                str(license["activatedAt"]).replace("Z", "+00:00")
            ),
            activationKey=license["activationKey"],
            licenseKey=license["licenseKey"],
        )
    return UserAdminResponseDto(
        avatarColor=avatar_color(user),  # type: ignore[arg-type]
        createdAt=user["createdAt"],
        deletedAt=user["deletedAt"],
        email=user["email"],
        id=str(user["id"]),
        isAdmin=user["isAdmin"],
        license=lic,
        name=user["name"],
        oauthId=user["oauthId"],
        profileChangedAt=user["profileChangedAt"],
        profileImagePath=user["profileImagePath"],
        quotaSizeInBytes=user["quotaSizeInBytes"],
        quotaUsageInBytes=user["quotaUsageInBytes"],
        shouldChangePassword=user["shouldChangePassword"],
        status=user["status"],
        storageLabel=user["storageLabel"],
        updatedAt=user["updatedAt"],
    )
