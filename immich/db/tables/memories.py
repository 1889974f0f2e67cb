"""Memories: "on this day" collections, their assets, and their deletes for sync (migration
0018)."""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, Boolean, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class Memory(Table, tablename="memory", db=ENGINE):
    """A memory of its owner: ``type`` ``on_this_day`` with ``data`` ``{"year": n}``; shown
    between ``showAt`` and ``hideAt``; removed by the nightly cleanup after 30 days unless
    ``isSaved``."""

    id = UUID(primary_key=True)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    deleted_at = Timestamptz(db_column_name="deletedAt", null=True, default=None)
    owner_id = UUID(db_column_name="ownerId")
    type = Varchar(length=None)
    data = JSONB()
    is_saved = Boolean(db_column_name="isSaved", default=False)
    memory_at = Timestamptz(db_column_name="memoryAt")
    seen_at = Timestamptz(db_column_name="seenAt", null=True, default=None)
    show_at = Timestamptz(db_column_name="showAt", null=True, default=None)
    hide_at = Timestamptz(db_column_name="hideAt", null=True, default=None)
    update_id = UUID(db_column_name="updateId")


class MemoryAsset(Table, tablename="memory_asset", db=ENGINE):
    """An asset in a memory.

    Primary key ("memoriesId", "assetId"); piccolo knows only its first column as the key."""

    memories_id = UUID(db_column_name="memoriesId", primary_key=True)
    asset_id = UUID(db_column_name="assetId")
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")


class MemoryAudit(Table, tablename="memory_audit", db=ENGINE):
    """A deleted memory, with its owner (written by a trigger)."""

    id = UUID(primary_key=True)
    memory_id = UUID(db_column_name="memoryId")
    user_id = UUID(db_column_name="userId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


class MemoryAssetAudit(Table, tablename="memory_asset_audit", db=ENGINE):
    """An asset taken out of a memory that still exists (written by a trigger)."""

    id = UUID(primary_key=True)
    memory_id = UUID(db_column_name="memoryId")
    asset_id = UUID(db_column_name="assetId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


MEMORY_TABLES: list[type[Table]] = [Memory, MemoryAsset, MemoryAudit, MemoryAssetAudit]
