"""/api/notifications: the caller's in-app notifications (list with filters, read state,
delete), and /api/admin/notifications: an admin's notification for any user.

Immich's e-mail routes under /api/admin/notifications (``templates/{name}``,
``test-email``) come with e-mail (SMTP): they render and send mail, nothing else.
"""

from __future__ import annotations

from typing import Any

from immich.api._given import given, or_none
from immich.api.notification_dtos import (
    NotificationCreateDto,
    NotificationDeleteAllDto,
    NotificationDto,
    NotificationSearchDto,
    NotificationUpdateAllDto,
    NotificationUpdateDto,
    to_notification,
)
from immich.api.routing import Call, Router
from immich.services import notifications as service
from immich.services.auth import AuthContext

router = Router()
TAG = "Notifications"
ADMIN_TAG = "Notifications (admin)"


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


def _changes(dto: NotificationUpdateDto | NotificationUpdateAllDto) -> dict[str, Any]:
    """``{"readAt": ...}`` when the client sent it (null clears it), else nothing."""
    return {k: v for k, v in given(dto).items() if k == "readAt"}


@router.route(
    "GET",
    "/notifications",
    operation_id="getNotifications",
    tag=TAG,
    response=list[NotificationDto],
    permission="notification.read",
)
async def get_notifications(call: Call[None, NotificationSearchDto]) -> list[NotificationDto]:
    """Retrieve notifications"""
    query = call.query
    rows = await service.search(
        call.db,
        _auth(call),
        notification_id=or_none(query.id),
        level=or_none(query.level),
        type=or_none(query.type),
        unread=query.unread is True,
    )
    return [to_notification(row) for row in rows]


@router.route(
    "PUT",
    "/notifications",
    operation_id="updateNotifications",
    tag=TAG,
    status=204,
    permission="notification.update",
)
async def update_notifications(call: Call[NotificationUpdateAllDto]) -> None:
    """Update notifications"""
    body = call.body
    await service.update_all(call.db, _auth(call), body.ids, _changes(body))


@router.route(
    "DELETE",
    "/notifications",
    operation_id="deleteNotifications",
    tag=TAG,
    status=204,
    permission="notification.delete",
)
async def delete_notifications(call: Call[NotificationDeleteAllDto]) -> None:
    """Delete notifications"""
    await service.delete_all(call.db, _auth(call), call.body.ids)


@router.route(
    "GET",
    "/notifications/{id}",
    operation_id="getNotification",
    tag=TAG,
    response=NotificationDto,
    permission="notification.read",
)
async def get_notification(call: Call) -> NotificationDto:
    """Get a notification"""
    row = await service.get(call.db, _auth(call), call.path["id"])
    return to_notification(row)


@router.route(
    "PUT",
    "/notifications/{id}",
    operation_id="updateNotification",
    tag=TAG,
    response=NotificationDto,
    permission="notification.update",
)
async def update_notification(call: Call[NotificationUpdateDto]) -> NotificationDto:
    """Update a notification"""
    row = await service.update(
        call.db,
        _auth(call),
        call.path["id"],
        _changes(call.body),
    )
    return to_notification(row)


@router.route(
    "DELETE",
    "/notifications/{id}",
    operation_id="deleteNotification",
    tag=TAG,
    status=204,
    permission="notification.delete",
)
async def delete_notification(call: Call) -> None:
    """Delete a notification"""
    await service.delete(call.db, _auth(call), call.path["id"])


@router.route(
    "POST",
    "/admin/notifications",
    operation_id="createNotification",
    tag=ADMIN_TAG,
    response=NotificationDto,
    status=201,
    admin=True,
)
async def create_notification(call: Call[NotificationCreateDto]) -> NotificationDto:
    """Create a notification"""
    body = call.body
    row = await service.create(
        call.db,
        _auth(call),
        body.userId,
        title=body.title,
        level=or_none(body.level) or service.NotificationLevel.Info,
        type=or_none(body.type) or service.NotificationType.Custom,
        description=or_none(body.description),
        data=or_none(body.data),
        read_at=or_none(body.readAt),
    )
    return to_notification(row)
