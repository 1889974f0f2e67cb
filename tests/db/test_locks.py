"""Advisory-lock keys: all declared in immich/db/locks.py, and no two purposes share one."""

from __future__ import annotations

import re
from pathlib import Path

from immich.db import locks
from immich.jobs.registry import cron_duties
from immich.plugins import make_manager

ROOT = Path(__file__).resolve().parents[2]
# A pg_advisory_* call whose key is written into the SQL instead of passed as a parameter.
LITERAL_KEY = re.compile(r"pg_(?:try_)?advisory_(?:xact_)?(?:un)?lock(?:_shared)?\(\s*-?\d")
# A module-level constant that looks like a lock key defined outside locks.py.
LOCAL_KEY = re.compile(r"^_?[A-Z_]*LOCK[A-Z_]* = [\d_]+\s*(?:#.*)?$", re.MULTILINE)


def test_fixed_keys_are_distinct_and_listed() -> None:
    declared = {
        name: value
        for name, value in vars(locks).items()
        if name.isupper() and isinstance(value, int)
    }
    assert declared == locks.FIXED, "add every key to locks.FIXED"
    assert len(set(locks.FIXED.values())) == len(locks.FIXED)


def test_cron_duty_keys_are_distinct_from_each_other_and_the_fixed_keys() -> None:
    names = [duty.name for duty in cron_duties(make_manager())]
    assert names, "no cron duty registered: the check would prove nothing"
    keys = {locks.cron_duty(name) for name in names}
    assert len(keys) == len(names)
    assert not keys & set(locks.FIXED.values())
    assert all(-(2**63) <= key < 2**63 for key in keys)  # PostgreSQL's bigint
    assert locks.cron_duty("a") != locks.cron_duty("b")


def test_no_key_is_declared_outside_locks_py() -> None:
    offenders = []
    for path in sorted([*(ROOT / "immich").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]):
        if path == ROOT / "immich" / "db" / "locks.py":
            continue
        text = path.read_text()
        for pattern in (LITERAL_KEY, LOCAL_KEY):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == [], "declare advisory-lock keys in immich/db/locks.py"


def test_detectors_work() -> None:
    assert LITERAL_KEY.search('execute("SELECT pg_advisory_xact_lock(7210002)")')
    assert LITERAL_KEY.search("SELECT pg_try_advisory_lock( 12)")
    assert not LITERAL_KEY.search('execute("SELECT pg_advisory_lock($1)", key)')
    assert LOCAL_KEY.search("_VERSION_HISTORY_LOCK = 7_210_003\n")
    assert LOCAL_KEY.search("MIGRATION_LOCK_ID = 7210001  # shared\n")
    assert not LOCAL_KEY.search("_SAQ_SCHEMA_LOCK = locks.SAQ_SCHEMA\n")
