"""Albums, their assets, the users they are shared with (migration 0003) and their activity
(comments and likes, migration 0015)."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class Album(Table, tablename="album", db=ENGINE):
    """An album (Immich's ``album``)."""

    id = UUID(primary_key=True)
    owner_id = UUID(db_column_name="ownerId")
    album_name = Varchar(length=None, db_column_name="albumName", default="Untitled Album")
    description = Text()
    album_thumbnail_asset_id = UUID(db_column_name="albumThumbnailAssetId", null=True, default=None)
    is_activity_enabled = Boolean(db_column_name="isActivityEnabled", default=True)
    order = Varchar(length=None, default="desc")
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    deleted_at = Timestamptz(db_column_name="deletedAt", null=True, default=None)
    update_id = UUID(db_column_name="updateId")
    create_id = UUID(db_column_name="createId")  # migration 0019, for sync


class AlbumAsset(Table, tablename="album_asset", db=ENGINE):
    """An asset in an album.

    Primary key ("albumId", "assetId"); piccolo knows only its first column as the key."""

    album_id = UUID(db_column_name="albumId", primary_key=True)
    asset_id = UUID(db_column_name="assetId")
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")


class AlbumUser(Table, tablename="album_user", db=ENGINE):
    """A user an album is shared with, and their role.

    Primary key ("albumId", "userId"); piccolo knows only its first column as the key."""

    album_id = UUID(db_column_name="albumId", primary_key=True)
    user_id = UUID(db_column_name="userId")
    role = Varchar(length=None, default="editor")
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    update_id = UUID(db_column_name="updateId")
    create_id = UUID(db_column_name="createId")


class Activity(Table, tablename="activity", db=ENGINE):
    """A comment (``comment`` set) or a like (``isLiked``) under an album, or under one of its
    assets (``assetId``)."""

    id = UUID(primary_key=True)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    album_id = UUID(db_column_name="albumId")
    user_id = UUID(db_column_name="userId")
    asset_id = UUID(db_column_name="assetId", null=True, default=None)
    comment = Text(null=True, default=None)
    is_liked = Boolean(db_column_name="isLiked", default=False)
    update_id = UUID(db_column_name="updateId")
