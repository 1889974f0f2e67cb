"""Timeline counters kept by triggers on ``asset`` (migration 0007)."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, Boolean, Timestamptz, Varchar
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class AssetTimelineMonth(Table, tablename="asset_timeline_month", db=ENGINE):
    """Per owner, month and filter values: how many assets (trigger-maintained;
    never written by the application).

    Primary key ("ownerId", "month", "visibility", "isFavorite", "isTrashed", "isDeleted"); piccolo knows only its first column as the key."""

    owner_id = UUID(db_column_name="ownerId", primary_key=True)
    month = Timestamptz()
    visibility = Varchar(length=None)
    is_favorite = Boolean(db_column_name="isFavorite")
    is_trashed = Boolean(db_column_name="isTrashed")
    is_deleted = Boolean(db_column_name="isDeleted")
    asset_count = BigInt(db_column_name="count")  # not `count`: Table.count() is a query
