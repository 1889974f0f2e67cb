"""immich.db.listen: payloads arrive, and a lost connection comes back and catches up."""

from __future__ import annotations

import asyncpg

from immich.db.listen import Listener
from tests.jobs.conftest import eventually

CHANNEL = "immich_test_listen"


async def test_payloads_arrive_and_a_lost_connection_reconnects(db_url: str) -> None:
    got: list[str] = []
    reconnects = 0

    async def caught_up() -> None:
        nonlocal reconnects
        reconnects += 1

    listener = Listener(db_url, CHANNEL, got.append, name="test", on_reconnect=caught_up)
    await listener.start()
    sender = await asyncpg.connect(db_url)
    try:
        assert listener.listening.is_set()
        await sender.execute("SELECT pg_notify($1, 'one')", CHANNEL)
        assert await eventually(lambda: got == ["one"])
        assert reconnects == 0

        first = listener.conn
        assert first is not None
        await sender.execute("SELECT pg_terminate_backend($1)", first.get_server_pid())
        assert await eventually(lambda: listener.conn not in (None, first))
        assert reconnects == 1  # its owner is told, to catch up on what it missed
        await sender.execute("SELECT pg_notify($1, 'two')", CHANNEL)
        assert await eventually(lambda: got == ["one", "two"])
    finally:
        await sender.close()
        await listener.stop()
    assert listener.conn is None and not listener.listening.is_set()
