"""immich.db.listen's Watch: a change made without NOTIFY is seen by polling, and a connection
that stops answering is replaced."""

from __future__ import annotations

import asyncpg
import pytest

from immich.db import listen
from immich.db.listen import Listener, Watch
from tests.jobs.conftest import eventually

TABLE = "listen_watch_test"


async def test_row_watch_sees_insert_update_delete_without_notify(db_url: str) -> None:
    writer = await asyncpg.connect(db_url)
    await writer.execute(f'CREATE TABLE IF NOT EXISTS "{TABLE}" (k text PRIMARY KEY, v int)')
    await writer.execute(f'DELETE FROM "{TABLE}"')
    changes = 0

    async def changed() -> None:
        nonlocal changes
        changes += 1

    listener = Listener(db_url, "immich_test_watch", lambda _: None, name="watch test")
    listener.watch_row(TABLE, "k", "a", changed, every=0.1)
    await listener.start()
    try:
        await eventually(lambda: changes == 1)  # the first answer counts: nothing is missed
        writes = [
            f"INSERT INTO \"{TABLE}\" VALUES ('a', 1)",
            f"UPDATE \"{TABLE}\" SET v = v WHERE k = 'a'",  # same value, still a new version
            f"DELETE FROM \"{TABLE}\" WHERE k = 'a'",
        ]
        for n, sql in enumerate(writes, start=2):
            await writer.execute(sql)
            await eventually(lambda n=n: changes == n)
        await writer.execute(f"INSERT INTO \"{TABLE}\" VALUES ('b', 1)")  # another row
        await writer.execute("SELECT pg_sleep(0.3)")
        assert changes == 4
    finally:
        await listener.stop()
        await writer.execute(f'DROP TABLE "{TABLE}"')
        await writer.close()


async def test_a_poll_without_answer_replaces_the_connection(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A half-open connection delivers no NOTIFY and answers nothing: it is dropped."""
    monkeypatch.setattr(listen, "POLL_TIMEOUT", 0.2)

    async def nothing() -> None:
        pass

    listener = Listener(db_url, "immich_test_watch", lambda _: None, name="watch test")
    listener.watch = Watch("SELECT pg_sleep(5)", (), nothing, every=0.05)
    await listener.start()
    try:
        first = listener.conn
        assert first is not None
        await eventually(lambda: listener.conn not in (None, first), within=5)
    finally:
        await listener.stop()
