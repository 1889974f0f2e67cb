"""The phone app's sync checkpoints (migration 0019)."""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class SessionSyncCheckpoint(Table, tablename="session_sync_checkpoint", db=ENGINE):
    """The last ack a login session sent for one sync entity type (Immich's table).

    Primary key ("sessionId", "type"); piccolo knows only its first column as the key."""

    session_id = UUID(db_column_name="sessionId", primary_key=True)
    type = Varchar(length=None)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    ack = Varchar(length=None)
    update_id = UUID(db_column_name="updateId")
