"""HLS segments made by a worker process for an api-only process (two real servers sharing the
database and the media folder), with the job queue on PostgreSQL and on Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from pathlib import Path
from typing import IO

import asyncpg
import httpx
import pytest

from tests._server import ROOT, SERVER, free_port, running_server
from tests.jobs.conftest import backend, clear_queues, queue_env, redis_url  # noqa: F401
from tests.plugins_video.clips import make_clip
from tests.plugins_video.streams import frames, open_stream

SEGMENTS = 6  # a 12 s clip in 2 s segments


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hls-worker")
    return make_clip(folder / "twelve.mp4", seconds=12.0, width=320, height=240)


def _start(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(SERVER)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


async def test_api_only_process_gets_segments_from_a_worker_process(
    app: object,
    db_url: str,
    tmp_path: Path,
    queue_env: dict[str, str],  # noqa: F811 (the fixture imported above)
    long_clip: Path,
) -> None:
    await clear_queues(db_url, queue_env.get("REDIS_URL"))  # the session app migrated the db
    env = {"DB_URL": db_url, "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"), **queue_env}
    worker_env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_"))}
    worker_env.update(env, IMMICH_ROLES="worker", IMMICH_PORT=str(free_port()))
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = _start(worker_env, log)
    conn = await asyncpg.connect(db_url)
    try:
        with running_server({**env, "IMMICH_ROLES": "api"}) as url:
            async with httpx.AsyncClient(base_url=url, timeout=60) as client:
                stream = await open_stream(client, long_clip)
                admin, base = stream.admin, stream.base
                session_id, variant, folder = stream.session_id, stream.variant, stream.folder
                assert stream.playlist.count(".m4s") == SEGMENTS

                init = await client.get(f"{folder}/init.mp4", headers=admin)
                far = await client.get(f"{folder}/seg_{SEGMENTS - 1}.m4s", headers=admin)
                first = await client.get(f"{folder}/seg_0.m4s", headers=admin)
                for answer in (init, far, first):
                    assert answer.status_code == 200, answer.text
                    assert answer.headers["content-type"] == "video/mp4"
                assert init.content[4:8] == b"ftyp" and b"moov" in init.content
                assert far.content[4:8] == b"moof" and b"mdat" in far.content
                assert first.content[4:8] == b"moof"

                row = await conn.fetchrow(
                    'SELECT "producerId", "wantVariant", "producerError" '
                    'FROM "video_stream_session" WHERE "id" = $1',
                    uuid.UUID(session_id),
                )
                cache = tmp_path / "media" / "encoded-video" / "hls" / session_id / variant
                made = sorted(p.name for p in cache.iterdir())

                r = await client.delete(f"{base}/{session_id}", headers=admin)
                assert r.status_code == 204
    finally:
        await conn.close()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    worker_log = log_path.read_text()
    assert row is not None and row["producerError"] is None, worker_log
    assert row["producerId"].split(":")[1] == str(worker.pid)  # made by the worker process
    assert row["wantVariant"] == int(variant)
    assert f"producing session {session_id}" in worker_log
    assert {"init.mp4", "seg_0.m4s", f"seg_{SEGMENTS - 1}.m4s"} <= set(made)  # shared folder
    assert not cache.parent.exists()  # the session's end removed it
    assert worker.returncode == 0, worker_log

    start = frames(init.content + first.content, tmp_path)
    end = frames(init.content + far.content, tmp_path)
    assert len(start) == 60 and (start[0].width, start[0].height) == (320, 240)
    assert len(end) == 60 and round(end[0].time * 30) == (SEGMENTS - 1) * 60
