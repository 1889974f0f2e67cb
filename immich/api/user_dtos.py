"""User DTOs (Immich's names): answers from a ``user`` row, and the users' request bodies."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from immich.api.dto import UNSET, field

EMAIL_PATTERN = (
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)
PIN_CODE_PATTERN = r"^\d{6}$"
LICENSE_KEY_PATTERN = r"^IM(SV|CL)(-[\dA-Za-z]{4}){8}$"
MAX_SAFE_INTEGER = 9007199254740991


class UserAvatarColor(enum.StrEnum):
    """User avatar color"""

    primary = "primary"
    pink = "pink"
    red = "red"
    yellow = "yellow"
    blue = "blue"
    green = "green"
    purple = "purple"
    orange = "orange"
    gray = "gray"
    amber = "amber"


class UserStatus(enum.StrEnum):
    """User status"""

    active = "active"
    removing = "removing"
    deleted = "deleted"


class AssetVisibility(enum.StrEnum):
    """Asset visibility"""

    archive = "archive"
    timeline = "timeline"
    hidden = "hidden"
    locked = "locked"


AVATAR_COLORS: tuple[UserAvatarColor, ...] = tuple(UserAvatarColor)


@attrs.frozen
class UserLicense:
    activatedAt: dt.datetime = field(description="Activation date", format="date-time")
    activationKey: str = field(description="Activation key")
    licenseKey: str = field(
        description="License key (format: /^IM(SV|CL)(-[\\dA-Za-z]{4}){8}$/)",
        pattern=LICENSE_KEY_PATTERN,
    )


@attrs.frozen
class LicenseResponseDto(UserLicense):
    """The caller's license (same fields as ``UserLicense``)."""


@attrs.frozen
class LicenseKeyDto:
    activationKey: str = field(description="Activation key")
    licenseKey: str = field(
        description="License key (format: /^IM(SV|CL)(-[\\dA-Za-z]{4}){8}$/)",
        pattern=LICENSE_KEY_PATTERN,
    )


@attrs.frozen
class OnboardingDto:
    isOnboarded: bool = field(description="Is user onboarded")


@attrs.frozen
class OnboardingResponseDto:
    isOnboarded: bool = field(description="Is user onboarded")


@attrs.frozen
class UserResponseDto:
    avatarColor: UserAvatarColor = field(description="Avatar color")
    email: str = field(description="User email", format="email")
    id: str = field(description="User ID", format="uuid")
    name: str = field(description="User name")
    profileChangedAt: dt.datetime = field(description="Profile change date", format="date-time")
    profileImagePath: str = field(description="Profile image path")


@attrs.frozen
class UserAdminResponseDto:
    avatarColor: UserAvatarColor = field(description="Avatar color")
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


@attrs.frozen
class UserUpdateMeDto:
    avatarColor: UserAvatarColor | None = field(default=UNSET, description="Avatar color")
    email: str = field(default=UNSET, description="User email", format="email")
    name: str = field(default=UNSET, description="User name")
    password: str = field(
        default=UNSET,
        description="User password (deprecated, use change password endpoint)",
        deprecated=True,
    )


@attrs.frozen
class UserAdminCreateDto:
    email: str = field(description="User email", format="email")
    name: str = field(description="User name")
    password: str = field(description="User password")
    avatarColor: UserAvatarColor | None = field(default=UNSET, description="Avatar color")
    isAdmin: bool = field(default=UNSET, description="Grant admin privileges")
    notify: bool = field(default=UNSET, description="Send notification email")
    pinCode: str | None = field(default=UNSET, description="PIN code", pattern=PIN_CODE_PATTERN)
    quotaSizeInBytes: int | None = field(
        default=UNSET, description="Storage quota in bytes", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    shouldChangePassword: bool = field(
        default=UNSET, description="Require password change on next login"
    )
    storageLabel: str | None = field(default=UNSET, description="Storage label")


@attrs.frozen
class UserAdminUpdateDto:
    avatarColor: UserAvatarColor | None = field(default=UNSET, description="Avatar color")
    email: str = field(default=UNSET, description="User email", format="email")
    isAdmin: bool = field(default=UNSET, description="Grant admin privileges")
    name: str = field(default=UNSET, description="User name")
    password: str = field(default=UNSET, description="User password")
    pinCode: str | None = field(default=UNSET, description="PIN code", pattern=PIN_CODE_PATTERN)
    quotaSizeInBytes: int | None = field(
        default=UNSET, description="Storage quota in bytes", minimum=0, maximum=MAX_SAFE_INTEGER
    )
    shouldChangePassword: bool = field(
        default=UNSET, description="Require password change on next login"
    )
    storageLabel: str | None = field(default=UNSET, description="Storage label")


@attrs.frozen
class UserAdminDeleteDto:
    force: bool = field(default=UNSET, description="Force delete even if user has assets")


@attrs.frozen
class UserAdminSearchDto:
    id: str = field(default=UNSET, description="User ID filter", format="uuid")
    withDeleted: bool = field(default=UNSET, description="Include deleted users")


@attrs.frozen
class AssetStatsDto:
    isFavorite: bool = field(default=UNSET, description="Filter by favorite status")
    isTrashed: bool = field(default=UNSET, description="Filter by trash status")
    visibility: AssetVisibility = field(default=UNSET, description="Filter by visibility")


@attrs.frozen
class AssetStatsResponseDto:
    images: int = field(description="Number of images")
    total: int = field(description="Total number of assets")
    videos: int = field(description="Number of videos")


def avatar_color(user: Any) -> UserAvatarColor:
    """The stored colour, else Immich's: sum of the email's code points modulo the palette."""
    if user["avatarColor"]:
        return UserAvatarColor(user["avatarColor"])
    total = sum(ord(ch) for ch in str(user["email"]))
    return AVATAR_COLORS[total % len(AVATAR_COLORS)]


def to_user(user: Any) -> UserResponseDto:
    return UserResponseDto(
        avatarColor=avatar_color(user),
        email=user["email"],
        id=str(user["id"]),
        name=user["name"],
        profileChangedAt=user["profileChangedAt"],
        profileImagePath=user["profileImagePath"],
    )


def to_license(license: Mapping[str, Any]) -> LicenseResponseDto:
    return LicenseResponseDto(
        activatedAt=dt.datetime.fromisoformat(str(license["activatedAt"]).replace("Z", "+00:00")),
        activationKey=license["activationKey"],
        licenseKey=license["licenseKey"],
    )


def to_user_admin(user: Any, license: Mapping[str, Any] | None = None) -> UserAdminResponseDto:
    return UserAdminResponseDto(
        avatarColor=avatar_color(user),
        createdAt=user["createdAt"],
        deletedAt=user["deletedAt"],
        email=user["email"],
        id=str(user["id"]),
        isAdmin=user["isAdmin"],
        license=to_license(license) if license else None,
        name=user["name"],
        oauthId=user["oauthId"],
        profileChangedAt=user["profileChangedAt"],
        profileImagePath=user["profileImagePath"],
        quotaSizeInBytes=user["quotaSizeInBytes"],
        quotaUsageInBytes=user["quotaUsageInBytes"],
        shouldChangePassword=user["shouldChangePassword"],
        status=UserStatus(user["status"]),
        storageLabel=user["storageLabel"],
        updatedAt=user["updatedAt"],
    )
