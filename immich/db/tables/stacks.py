"""Stacks: assets grouped behind one primary asset (migration 0003)."""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class Stack(Table, tablename="stack", db=ENGINE):
    """A stack of an owner's assets, shown as its primary asset."""

    id = UUID(primary_key=True)
    owner_id = UUID(db_column_name="ownerId")
    primary_asset_id = UUID(db_column_name="primaryAssetId")
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")
