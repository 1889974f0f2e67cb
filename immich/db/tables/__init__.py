"""piccolo Table classes: the one Python description of the core's schema (migrations/*.sql).

Table and column names are Immich's (quoted camelCase in the database): each class says
``tablename=``, each camelCase column ``db_column_name=`` beside a snake_case attribute, so piccolo
selects and returns rows keyed by the database's names (``row["ownerId"]``), the same keys raw SQL
gives. tests/db/test_tables.py checks these classes against the migrated database (every table,
column, type and nullability). Migrations stay hand-written SQL; these classes never create or
alter a table. Tables with a composite primary key name its first column ``primary_key=True``
(piccolo knows one key column); their docstrings give the whole key.

Plugins keep their own tables beside their migrations (``plugins/video/tables.py``). Every class
is bound to ``ENGINE`` (``_engine.py``), which uses the process's asyncpg pool; see
immich/db/session.py for transactions.
"""

from __future__ import annotations

from piccolo.table import Table

from immich.db.tables._engine import ENGINE
from immich.db.tables.albums import Activity, Album, AlbumAsset, AlbumUser
from immich.db.tables.assets import Asset, AssetExif, AssetFile, AssetJobStatus, AssetMetadata
from immich.db.tables.audit import AUDIT_TABLES
from immich.db.tables.memories import MEMORY_TABLES, Memory, MemoryAsset
from immich.db.tables.notifications import AlbumUpdatePending, Notification
from immich.db.tables.partners import Partner, PartnerAudit
from immich.db.tables.shared_links import SharedLink, SharedLinkAsset
from immich.db.tables.stacks import Stack
from immich.db.tables.sync import SessionSyncCheckpoint
from immich.db.tables.system import SystemMetadata
from immich.db.tables.tags import Tag, TagAsset, TagClosure
from immich.db.tables.timeline import AssetTimelineMonth
from immich.db.tables.users import ApiKey, Session, User, UserMetadata

ALL_TABLES: list[type[Table]] = [
    User,
    UserMetadata,
    Session,
    ApiKey,
    SystemMetadata,
    Asset,
    AssetExif,
    AssetFile,
    AssetJobStatus,
    AssetMetadata,
    Stack,
    Album,
    AlbumAsset,
    AlbumUser,
    Activity,
    AssetTimelineMonth,
    Notification,
    AlbumUpdatePending,
    Tag,
    TagAsset,
    TagClosure,
    *MEMORY_TABLES,
    SharedLink,
    SharedLinkAsset,
    Partner,
    PartnerAudit,
    *AUDIT_TABLES,
    SessionSyncCheckpoint,
]

__all__ = [
    "ALL_TABLES",
    "Activity",
    "ENGINE",
    "Album",
    "AlbumAsset",
    "AlbumUpdatePending",
    "AlbumUser",
    "ApiKey",
    "Asset",
    "AssetExif",
    "AssetFile",
    "AssetJobStatus",
    "AssetMetadata",
    "AssetTimelineMonth",
    "Memory",
    "MemoryAsset",
    "Notification",
    "Partner",
    "PartnerAudit",
    "Session",
    "SessionSyncCheckpoint",
    "SharedLink",
    "SharedLinkAsset",
    "Stack",
    "SystemMetadata",
    "Tag",
    "TagAsset",
    "TagClosure",
    "User",
    "UserMetadata",
]
