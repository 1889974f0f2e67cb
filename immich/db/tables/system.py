"""Server-wide key/value state (system config, version history, license, ...)."""

from __future__ import annotations

from piccolo.columns import JSONB, Varchar
from piccolo.table import Table

from immich.db.tables._engine import ENGINE


class SystemMetadata(Table, tablename="system_metadata", db=ENGINE):
    """One server-wide value by key (Immich's ``system_metadata``)."""

    key = Varchar(length=None, primary_key=True)
    value = JSONB()
