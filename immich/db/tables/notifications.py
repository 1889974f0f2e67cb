"""In-app notifications (migration 0011) and the pending album-update ones (0020)."""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class Notification(Table, tablename="notification", db=ENGINE):
    """A message for one user (Immich's ``notification``): its level and type, read or not
    (``readAt``), soft-deleted (``deletedAt``) until the nightly cleanup removes it."""

    id = UUID(primary_key=True)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    deleted_at = Timestamptz(db_column_name="deletedAt", null=True, default=None)
    update_id = UUID(db_column_name="updateId")
    user_id = UUID(db_column_name="userId", null=True, default=None)
    level = Varchar(length=None, default="info")
    type = Varchar(length=None, default="info")
    data = JSONB(null=True, default=None)
    title = Varchar(length=None)
    description = Text(null=True, default=None)
    read_at = Timestamptz(db_column_name="readAt", null=True, default=None)


class AlbumUpdatePending(Table, tablename="album_update_pending", db=ENGINE):
    """The newest queued "Shared Album Update" notification of a recipient for an album: its
    ``token`` (the job carrying another one was superseded) and when it is due.

    Primary key ("albumId", "recipientId"); piccolo knows only its first column as the key."""

    album_id = UUID(db_column_name="albumId", primary_key=True)
    recipient_id = UUID(db_column_name="recipientId")
    token = UUID()
    due_at = Timestamptz(db_column_name="dueAt")
