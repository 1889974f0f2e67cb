"""Notification DTOs (Immich 3.1's names); levels and types are the service's enums."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeVar, cast

import attrs

from immich.api.dto import UNSET, field
from immich.db.repos import Row
from immich.services.notifications import NotificationLevel, NotificationType

E = TypeVar("E", bound=enum.Enum)

__all__ = [
    "NotificationCreateDto",
    "NotificationDeleteAllDto",
    "NotificationDto",
    "NotificationLevel",
    "NotificationSearchDto",
    "NotificationType",
    "NotificationUpdateAllDto",
    "NotificationUpdateDto",
    "to_notification",
]


@attrs.frozen
class NotificationDto:
    createdAt: dt.datetime = field(description="Creation date", format="date-time")
    id: str = field(description="Notification ID", format="uuid")
    level: NotificationLevel = field()
    title: str = field(description="Notification title")
    type: NotificationType = field()
    data: dict[str, Any] = field(default=UNSET, description="Additional notification data")
    description: str = field(default=UNSET, description="Notification description")
    readAt: dt.datetime = field(
        default=UNSET, description="Date when notification was read", format="date-time"
    )


@attrs.frozen
class NotificationSearchDto:
    id: str = field(default=UNSET, description="Filter by notification ID", format="uuid")
    level: NotificationLevel = field(default=UNSET)
    type: NotificationType = field(default=UNSET)
    unread: bool = field(default=UNSET, description="Filter by unread status")


@attrs.frozen
class NotificationCreateDto:
    title: str = field(description="Notification title")
    userId: str = field(description="User ID to send notification to", format="uuid")
    data: dict[str, Any] = field(default=UNSET, description="Additional notification data")
    description: str | None = field(default=UNSET, description="Notification description")
    level: NotificationLevel = field(default=UNSET)
    readAt: dt.datetime | None = field(
        default=UNSET, description="Date when notification was read", format="date-time"
    )
    type: NotificationType = field(default=UNSET)


@attrs.frozen
class NotificationUpdateDto:
    readAt: dt.datetime | None = field(
        default=UNSET, description="Date when notification was read", format="date-time"
    )


@attrs.frozen
class NotificationUpdateAllDto:
    ids: list[str] = field(description="Notification IDs to update", format="uuid", min_items=1)
    readAt: dt.datetime | None = field(
        default=UNSET, description="Date when notifications were read", format="date-time"
    )


@attrs.frozen
class NotificationDeleteAllDto:
    ids: list[str] = field(description="Notification IDs to delete", format="uuid", min_items=1)


def _choice(enum_cls: type[E], value: str) -> E:
    """The member, or the stored text as it is (Immich answers what the row holds: a row
    inserted without a type has the column's default, ``info``)."""
    try:
        return enum_cls(value)
    except ValueError:
        return cast(E, value)


def to_notification(row: Row) -> NotificationDto:
    """Immich's ``mapNotification``: null description, data and readAt are left out."""
    return NotificationDto(
        createdAt=row["createdAt"],
        id=str(row["id"]),
        level=_choice(NotificationLevel, row["level"]),
        title=row["title"],
        type=_choice(NotificationType, row["type"]),
        data=row["data"] if row["data"] is not None else UNSET,
        description=row["description"] if row["description"] is not None else UNSET,
        readAt=row["readAt"] if row["readAt"] is not None else UNSET,
    )
