"""Shared links and the assets of individual ones (migration 0016)."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, Bytea, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class SharedLink(Table, tablename="shared_link", db=ENGINE):
    """A public link to an album (``type`` ALBUM) or to chosen assets (INDIVIDUAL); ``key`` is
    the secret visitors present, ``slug`` an optional readable name for it."""

    id = UUID(primary_key=True)
    description = Varchar(length=None, null=True, default=None)
    user_id = UUID(db_column_name="userId")
    key = Bytea()
    type = Varchar(length=None)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    expires_at = Timestamptz(db_column_name="expiresAt", null=True, default=None)
    allow_upload = Boolean(db_column_name="allowUpload", default=False)
    album_id = UUID(db_column_name="albumId", null=True, default=None)
    allow_download = Boolean(db_column_name="allowDownload", default=True)
    show_exif = Boolean(db_column_name="showExif", default=True)
    password = Varchar(length=None, null=True, default=None)
    slug = Varchar(length=None, null=True, default=None)


class SharedLinkAsset(Table, tablename="shared_link_asset", db=ENGINE):
    """An asset of an individual shared link.

    Primary key ("assetId", "sharedLinkId"); piccolo knows only its first column as the key."""

    asset_id = UUID(db_column_name="assetId", primary_key=True)
    shared_link_id = UUID(db_column_name="sharedLinkId")
