"""In-app notifications (Immich's NotificationService and NotificationAdminService).

A notification is one user's: reading, changing or deleting it needs it to be the caller's,
else 400 ``Not found or no notification.<read|update|delete> access`` for the whole request (a
bulk call with one stranger's id changes nothing). Deleting only marks the row (``deletedAt``);
it vanishes from every answer at once and the nightly ``cleanup`` removes it for good. Read state
is ``readAt``, set or cleared (null) by the client.

Features raise notifications through ``notify`` (or the helpers below it, which carry Immich's
wording): album invitations and updates, failed jobs. Pushing them to open clients
(``on_notification``) happens when the caller passes ``ctx`` (once the row is committed);
e-mail comes with the SMTP issue.

Beyond Immich (where its 3.1 code cannot mean what it does): ``getNotification`` answers a live
notification (Immich's query finds only deleted ones, so it always answers "Notification not
found"); changing a deleted one is that same 400 (Immich's update throws, a 500); and an admin's
notification for an unknown user is 400 ``User not found`` (a foreign-key 500 in Immich).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from immich import events
from immich.db.repos import Conn, Row, users
from immich.db.repos import notifications as repo
from immich.errors import BadRequest
from immich.services.access import no_access

if TYPE_CHECKING:
    from immich.context import AppContext
    from immich.services.auth import AuthContext

NOT_FOUND = "Notification not found"
READ, UPDATE, DELETE = "notification.read", "notification.update", "notification.delete"


class NotificationLevel(enum.StrEnum):
    """Notification level"""

    Success = "success"
    Error = "error"
    Warning = "warning"
    Info = "info"


class NotificationType(enum.StrEnum):
    """Notification type"""

    JobFailed = "JobFailed"
    BackupFailed = "BackupFailed"
    SystemMessage = "SystemMessage"
    AlbumInvite = "AlbumInvite"
    AlbumUpdate = "AlbumUpdate"
    Custom = "Custom"


async def require_access(
    db: Conn, auth: AuthContext, permission: str, ids: Iterable[str | uuid.UUID]
) -> list[uuid.UUID]:
    """The asked ids (deduplicated, in order) if each is the caller's."""
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in ids))
    if wanted and await repo.owned_ids(db, auth.user_id, wanted) != set(wanted):
        raise no_access(permission)
    return wanted


async def search(
    db: Conn,
    auth: AuthContext,
    *,
    notification_id: str | None = None,
    level: str | None = None,
    type: str | None = None,  # noqa: A002 - Immich's filter
    unread: bool = False,
) -> list[Row]:
    """The caller's live notifications, newest first (``unread=False`` filters nothing)."""
    return await repo.search(
        db,
        auth.user_id,
        notification_id=uuid.UUID(notification_id) if notification_id else None,
        level=level,
        type=type,
        unread=unread,
    )


async def get(db: Conn, auth: AuthContext, notification_id: str) -> Row:
    await require_access(db, auth, READ, [notification_id])
    row = await repo.get(db, notification_id)
    if row is None:
        raise BadRequest(NOT_FOUND)
    return row


def _read_at(changes: Mapping[str, Any]) -> dt.datetime | None:
    bad = set(changes) - {"readAt"}
    if bad:
        raise ValueError(f"not a changeable notification field: {sorted(bad)}")
    value: dt.datetime | None = changes["readAt"]
    return value


async def update(
    db: Conn, auth: AuthContext, notification_id: str, changes: Mapping[str, Any]
) -> Row:
    """``changes``: ``{"readAt": datetime or None}``, or nothing to change."""
    (wanted,) = await require_access(db, auth, UPDATE, [notification_id])
    if "readAt" in changes:
        rows = await repo.set_read(db, [wanted], _read_at(changes))
        row = rows[0] if rows else None
    else:
        row = await repo.get(db, wanted)
    if row is None:
        raise BadRequest(NOT_FOUND)
    return row


async def update_all(
    db: Conn, auth: AuthContext, ids: Iterable[str], changes: Mapping[str, Any]
) -> None:
    wanted = await require_access(db, auth, UPDATE, ids)
    if "readAt" in changes:
        await repo.set_read(db, wanted, _read_at(changes))


async def delete(db: Conn, auth: AuthContext, notification_id: str) -> None:
    await delete_all(db, auth, [notification_id])


async def delete_all(db: Conn, auth: AuthContext, ids: Iterable[str]) -> None:
    await repo.delete(db, await require_access(db, auth, DELETE, ids))


async def create(
    db: Conn,
    auth: AuthContext,
    user_id: str,
    *,
    title: str,
    level: NotificationLevel = NotificationLevel.Info,
    type: NotificationType = NotificationType.Custom,  # noqa: A002 - Immich's field
    description: str | None = None,
    data: dict[str, Any] | None = None,
    read_at: dt.datetime | None = None,
) -> Row:
    """An admin's notification for any user (``POST /admin/notifications``)."""
    if await users.get(db, user_id) is None:
        raise BadRequest("User not found")
    return await repo.create(
        db,
        user_id,
        level=level,
        type=type,
        title=title,
        description=description,
        data=data,
        read_at=read_at,
    )


async def notify(
    db: Conn,
    user_id: uuid.UUID | str,
    type: NotificationType,  # noqa: A002 - Immich's field
    level: NotificationLevel,
    title: str,
    description: str | None = None,
    data: Mapping[str, Any] | None = None,
    *,
    ctx: AppContext | None = None,
) -> Row:
    """Raise a notification for a user: what features call (the caller's transaction holds
    it); with ``ctx``, the user's open clients get it (``on_notification``) once committed."""
    row = await repo.create(
        db,
        user_id,
        level=level,
        type=type,
        title=title,
        description=description,
        data=dict(data) if data is not None else None,
    )
    if ctx is not None:
        ref = events.notification_ref(row["id"])
        await events.emit_after_commit(ctx, db, [user_id], "on_notification", ref)
    return row


async def notify_album_invite(
    db: Conn,
    user_id: uuid.UUID | str,
    album_id: uuid.UUID | str,
    album_name: str,
    sender: str,
    *,
    ctx: AppContext | None = None,
) -> Row:
    """A user was added to a shared album (Immich's words)."""
    return await notify(
        db,
        user_id,
        NotificationType.AlbumInvite,
        NotificationLevel.Success,
        "Shared Album Invitation",
        f"{sender} shared an album ({album_name}) with you",
        {"albumId": str(album_id)},
        ctx=ctx,
    )


async def notify_album_update(
    db: Conn,
    user_id: uuid.UUID | str,
    album_id: uuid.UUID | str,
    album_name: str,
    *,
    ctx: AppContext | None = None,
) -> Row:
    """Media was added to a shared album the user is in (Immich's words)."""
    return await notify(
        db,
        user_id,
        NotificationType.AlbumUpdate,
        NotificationLevel.Info,
        "Shared Album Update",
        f"New media has been added to the album ({album_name})",
        {"albumId": str(album_id)},
        ctx=ctx,
    )


async def notify_job_failed(
    db: Conn, job_name: str, error: str, *, ctx: AppContext | None = None
) -> Row | None:
    """A job failed (Immich raises it for the database backup): tell the admin, if there is
    one. Immich's type, level and words."""
    admin = await users.get_admin(db)
    if admin is None:
        return None
    return await notify(
        db,
        admin["id"],
        NotificationType.JobFailed,
        NotificationLevel.Error,
        "Job Failed",
        f"Job {job_name} failed with error: {error}",
        ctx=ctx,
    )


async def cleanup(db: Conn) -> int:
    """The nightly removal of old notifications (``repo.cleanup``); how many went."""
    return await repo.cleanup(db)
