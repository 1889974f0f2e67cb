"""SQL pruning the ``*_audit`` tables (recorded deletes the sync stream reads)."""

from __future__ import annotations

from piccolo.columns.combination import WhereRaw
from piccolo.table import Table

from immich.db.repos import Conn
from immich.db.repos import _query as q
from immich.db.tables.audit import AUDIT_TABLES
from immich.db.tables.memories import MemoryAssetAudit, MemoryAudit
from immich.db.tables.partners import PartnerAudit

TABLES: list[type[Table]] = [*AUDIT_TABLES, PartnerAudit, MemoryAudit, MemoryAssetAudit]


async def prune(db: Conn, days: int) -> int:
    """Drop audit rows older than ``days``; how many went."""
    older = WhereRaw('"deletedAt" < now() - make_interval(days => {})', days)
    removed = 0
    for table in TABLES:
        removed += q.affected(await q.execute(db, table.delete().where(older)))
    return removed
