"""Every PostgreSQL advisory-lock key the server takes, in one place.

Replicas coordinate through advisory locks on the shared database; two purposes sharing a key
would silently serialise (or worse, exclude) each other, so every key is declared here and
``tests/db/test_locks.py`` checks they are distinct. Keys are the one-argument (bigint) form.
saq's PostgreSQL queue takes its own locks in the two-argument form (``pg_try_advisory_lock
(0, ...)``), which PostgreSQL keeps in a separate key space, so they cannot meet ours.
"""

from __future__ import annotations

import hashlib

MIGRATIONS = 7_210_001
"""Held (session lock) for a whole migration run: core then plugins, one replica at a time."""

ADMIN_SIGN_UP = 7_210_002
"""Transaction lock of ``POST /api/auth/admin-sign-up``: one admin even when two sign-ups race."""

VERSION_HISTORY = 7_210_003
"""Transaction lock while the server records its version in ``version-history``."""

MEMORY_CREATION = 7_210_777
"""Held (session lock) while the MemoryGenerate job makes "on this day" memories (Immich's
``DatabaseLock.MemoryCreation``, 777): two runs at once would make duplicates."""

SAQ_SCHEMA = 7_210_101
"""Held while saq creates or upgrades its tables (the PostgreSQL queue backend)."""

FIXED: dict[str, int] = {
    "MIGRATIONS": MIGRATIONS,
    "ADMIN_SIGN_UP": ADMIN_SIGN_UP,
    "VERSION_HISTORY": VERSION_HISTORY,
    "SAQ_SCHEMA": SAQ_SCHEMA,
    "MEMORY_CREATION": MEMORY_CREATION,
}


def cron_duty(name: str) -> int:
    """The key of cron duty ``name`` (a signed 64-bit hash): one replica runs it at a time.

    Duties come from plugins, so their keys are derived rather than listed; the hash space
    (2**64) makes a clash with another duty or with the fixed keys above negligible, and the
    test checks the duties registered today."""
    digest = hashlib.sha256(f"immich-cron:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def sidecar_write(asset_id: object) -> int:
    """Transaction lock of one asset's ``SidecarWrite`` (derived like ``cron_duty``): two
    writes of the same sidecar take turns, each starting from the file the other left."""
    digest = hashlib.sha256(f"immich-sidecar:{asset_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
