"""Deletes recorded for sync: Immich's ``*_audit`` tables (migration 0010).

Rows are written by AFTER DELETE triggers, never by the application; the sync stream reads them
by ``id`` (a UUIDv7, the checkpoint) and a nightly duty may drop old ones by ``deletedAt``.
"""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class UserAudit(Table, tablename="user_audit", db=ENGINE):
    """A deleted user."""

    id = UUID(primary_key=True)
    user_id = UUID(db_column_name="userId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


class UserMetadataAudit(Table, tablename="user_metadata_audit", db=ENGINE):
    """A deleted user metadata key."""

    id = UUID(primary_key=True)
    user_id = UUID(db_column_name="userId")
    key = Varchar(length=None)
    deleted_at = Timestamptz(db_column_name="deletedAt")


class AssetAudit(Table, tablename="asset_audit", db=ENGINE):
    """A deleted asset, with the owner it had."""

    id = UUID(primary_key=True)
    asset_id = UUID(db_column_name="assetId")
    owner_id = UUID(db_column_name="ownerId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


class AssetMetadataAudit(Table, tablename="asset_metadata_audit", db=ENGINE):
    """A deleted asset metadata key."""

    id = UUID(primary_key=True)
    asset_id = UUID(db_column_name="assetId")
    key = Varchar(length=None)
    deleted_at = Timestamptz(db_column_name="deletedAt")


class StackAudit(Table, tablename="stack_audit", db=ENGINE):
    """A deleted stack, with its owner."""

    id = UUID(primary_key=True)
    stack_id = UUID(db_column_name="stackId")
    user_id = UUID(db_column_name="userId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


class AlbumAudit(Table, tablename="album_audit", db=ENGINE):
    """A deleted album, once per user who saw it (owner and members)."""

    id = UUID(primary_key=True)
    album_id = UUID(db_column_name="albumId")
    user_id = UUID(db_column_name="userId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


class AlbumAssetAudit(Table, tablename="album_asset_audit", db=ENGINE):
    """An asset removed from an album (dropped with the album itself)."""

    id = UUID(primary_key=True)
    album_id = UUID(db_column_name="albumId")
    asset_id = UUID(db_column_name="assetId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


class AlbumUserAudit(Table, tablename="album_user_audit", db=ENGINE):
    """A member removed from an album."""

    id = UUID(primary_key=True)
    album_id = UUID(db_column_name="albumId")
    user_id = UUID(db_column_name="userId")
    deleted_at = Timestamptz(db_column_name="deletedAt")


AUDIT_TABLES: list[type[Table]] = [
    UserAudit,
    UserMetadataAudit,
    AssetAudit,
    AssetMetadataAudit,
    StackAudit,
    AlbumAudit,
    AlbumAssetAudit,
    AlbumUserAudit,
]
