"""A second worker process takes over an api-only process's HLS session when the worker that
held it dies (real processes sharing the database and the media folder)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import IO

import asyncpg
import httpx
import pytest

from plugins.video._hls_remote import STALE_S
from plugins.video._segmenter import AHEAD_PAUSE
from tests._server import ROOT, SERVER, free_port, running_server
from tests.jobs.conftest import clear_queues
from tests.plugins_video.clips import make_clip
from tests.plugins_video.streams import frames, open_stream

FPS = 15
SEGMENTS = 45  # a 90 s clip in 2 s segments
FAR = 40  # past what the first worker makes before it waits for the player (AHEAD_PAUSE)


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hls-takeover")
    return make_clip(folder / "ninety.mp4", seconds=2.0 * SEGMENTS, fps=FPS)


def _worker(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    """A worker-only immich-server in its own process group (its children die with it)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_", "IMMICH_"))}
    full.update(env, IMMICH_ROLES="worker", IMMICH_PORT=str(free_port()))
    return subprocess.Popen(
        [str(SERVER)],
        env=full,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


async def test_a_second_worker_takes_over_when_the_first_dies(
    app: object, db_url: str, tmp_path: Path, long_clip: Path
) -> None:
    assert FAR > AHEAD_PAUSE + 2 and FAR < SEGMENTS
    await clear_queues(db_url)  # the session app migrated the db
    media = tmp_path / "media"
    env = {"DB_URL": db_url, "IMMICH_MEDIA_LOCATION": str(media)}
    log_a, log_b = (tmp_path / "worker-a.log").open("w"), (tmp_path / "worker-b.log").open("w")
    worker_a = _worker(env, log_a)
    worker_b: subprocess.Popen[bytes] | None = None
    conn = await asyncpg.connect(db_url)
    try:
        with running_server({**env, "IMMICH_ROLES": "api"}) as url:
            async with httpx.AsyncClient(base_url=url, timeout=90) as client:
                stream = await open_stream(client, long_clip)
                admin, base = stream.admin, stream.base
                session_id, variant, folder = stream.session_id, stream.variant, stream.folder
                sid = uuid.UUID(session_id)
                assert stream.playlist.count(".m4s") == SEGMENTS
                first = await client.get(f"{folder}/seg_0.m4s", headers=admin)
                assert first.status_code == 200, first.text
                assert first.content[4:8] == b"moof"
                holder_a = await conn.fetchval(
                    'SELECT "producerId" FROM "video_stream_session" WHERE "id" = $1', sid
                )

                os.killpg(worker_a.pid, signal.SIGKILL)  # no goodbye: its claim just ages
                worker_a.wait()
                cache = media / "encoded-video" / "hls" / session_id / variant
                assert not (cache / f"seg_{FAR}.m4s").exists()  # not made by A
                worker_b = _worker(env, log_b)

                started = time.monotonic()
                init = await client.get(f"{folder}/init.mp4", headers=admin)
                far = await client.get(f"{folder}/seg_{FAR}.m4s", headers=admin)
                waited = time.monotonic() - started
                row = await conn.fetchrow(
                    'SELECT "producerId", "producerError" FROM "video_stream_session" '
                    'WHERE "id" = $1',
                    sid,
                )
                r = await client.delete(f"{base}/{session_id}", headers=admin)
                assert r.status_code == 204
    finally:
        await conn.close()
        if worker_a.poll() is None:
            os.killpg(worker_a.pid, signal.SIGKILL)
            worker_a.wait()
        if worker_b is not None:
            _stop(worker_b)
        log_a.close()
        log_b.close()
    text_a = (tmp_path / "worker-a.log").read_text()
    text_b = (tmp_path / "worker-b.log").read_text()
    assert holder_a is not None and holder_a.split(":")[1] == str(worker_a.pid), text_a
    assert f"producing session {session_id} variant {variant} from segment 0" in text_a
    assert worker_a.returncode == -signal.SIGKILL

    for answer in (init, far):
        assert answer.status_code == 200, (answer.text, text_b)
        assert answer.headers["content-type"] == "video/mp4"
    assert far.content[4:8] == b"moof" and b"mdat" in far.content
    assert row is not None and row["producerError"] is None
    assert row["producerId"] != holder_a
    assert row["producerId"].split(":")[1] == str(worker_b.pid)  # B holds the session now
    assert f"producing session {session_id} variant {variant} from segment {FAR}" in text_b
    assert waited < STALE_S + 15  # A's claim went stale, B claimed it on a repeated request
    assert worker_b.returncode == 0, text_b

    decoded = frames(init.content + far.content, tmp_path)
    assert len(decoded) == 2 * FPS and round(decoded[0].time) == 2 * FAR
