"""Partners: a user sharing their library with another, and deleted partnerships (migration
0017)."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class Partner(Table, tablename="partner", db=ENGINE):
    """``sharedById`` shares their assets with ``sharedWithId``; ``inTimeline`` (the receiver's
    choice) puts them in the receiver's timeline.

    Primary key ("sharedById", "sharedWithId"); piccolo knows only its first column as the key."""

    shared_by_id = UUID(db_column_name="sharedById", primary_key=True)
    shared_with_id = UUID(db_column_name="sharedWithId")
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    create_id = UUID(db_column_name="createId")
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    in_timeline = Boolean(db_column_name="inTimeline", default=False)
    update_id = UUID(db_column_name="updateId")


class PartnerAudit(Table, tablename="partner_audit", db=ENGINE):
    """A deleted partnership (written by the AFTER DELETE trigger, read by sync)."""

    id = UUID(primary_key=True)
    shared_by_id = UUID(db_column_name="sharedById")
    shared_with_id = UUID(db_column_name="sharedWithId")
    deleted_at = Timestamptz(db_column_name="deletedAt")
