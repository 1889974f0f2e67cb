"""Tags: a user's hierarchical labels, their assets, and the ancestor closure (migration 0013)."""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class Tag(Table, tablename="tag", db=ENGINE):
    """A tag; ``value`` is its whole path (``a/b/c``), unique per user; ``parentId`` the tag one
    level up (``a/b``)."""

    id = UUID(primary_key=True)
    user_id = UUID(db_column_name="userId")
    value = Varchar(length=None)
    created_at = Timestamptz(db_column_name="createdAt", default=TimestamptzNow())
    updated_at = Timestamptz(db_column_name="updatedAt", default=TimestamptzNow())
    color = Varchar(length=None, null=True, default=None)
    parent_id = UUID(db_column_name="parentId", null=True, default=None)
    update_id = UUID(db_column_name="updateId")


class TagAsset(Table, tablename="tag_asset", db=ENGINE):
    """An asset carrying a tag.

    Primary key ("assetId", "tagId"); piccolo knows only its first column as the key."""

    asset_id = UUID(db_column_name="assetId", primary_key=True)
    tag_id = UUID(db_column_name="tagId")


class TagClosure(Table, tablename="tag_closure", db=ENGINE):
    """A tag and one of its descendants (itself included): "under ``a``" is one join.

    Primary key ("id_ancestor", "id_descendant"); piccolo knows only its first column."""

    id_ancestor = UUID(primary_key=True)
    id_descendant = UUID()
