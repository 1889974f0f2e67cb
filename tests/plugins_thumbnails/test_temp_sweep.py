"""A killed thumbnail job's temporary files under ``thumbs/``: its retry removes its own
(``immich.storage.orphans``), and the "queue all" run (the nightly missing-derived-files duty,
the admin's "missing" button) removes every one older than the job lease, keeping younger ones
(a live worker may still be writing them)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from immich.jobs.types import JobStatus
from immich.storage import layout
from plugins.thumbnails._jobs import generate_all, generate_thumbnails
from tests.api.asset_helpers import upload
from tests.conftest import SHARED, sign_up_and_login

SAMPLE = SHARED / "testdata" / "immich-test-assets" / "formats" / "jpg" / "el_torcal_rocks.jpg"


def _aged(path: Path, age_s: float, now: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"partial jpeg")
    os.utime(path, (now - age_s, now - age_s))
    return path


async def test_queue_all_sweeps_stale_leftovers_under_thumbs(
    app: Any, client: httpx.AsyncClient
) -> None:
    ctx = app.state.ctx
    lease = ctx.settings.job_lease_s
    media = ctx.settings.media_location
    now = time.time()
    preview = layout.thumbnail_path(media, str(uuid.uuid4()), str(uuid.uuid4()), "preview", "jpeg")
    # names as the writers make them: a rendition (host-pid), a small file written whole
    dead = _aged(preview.parent / f".{preview.name}.otherhost-4242.k3j_x9a1.tmp", lease + 30, now)
    marker = _aged(media / "thumbs" / ".immich.4242.0123abcd.partial", lease + 30, now)
    live = _aged(preview.parent / f".{preview.name}.otherhost-4243.p0q_z8b2.tmp", 1, now)
    final = _aged(preview, lease + 30, now)  # a finished preview is never a leftover
    await generate_all(ctx, {"force": False})
    assert not dead.exists() and not marker.exists()
    assert live.exists() and final.exists()
    live.unlink()
    final.unlink()


async def test_the_retry_sweeps_its_own_outputs_leftovers(
    app: Any, client: httpx.AsyncClient
) -> None:
    """The job run again after a kill (here: on another host, whose pid cannot be checked)
    removes its outputs' temporary files older than the lease, and keeps a younger one."""
    ctx = app.state.ctx
    lease = ctx.settings.job_lease_s
    media = ctx.settings.media_location
    headers = await sign_up_and_login(client)
    r = await upload(client, headers, SAMPLE.read_bytes(), "retry.jpg")
    assert r.status_code == 201, r.text
    asset_id = r.json()["id"]
    owner = (await client.get("/api/users/me", headers=headers)).json()["id"]
    now = time.time()
    preview = layout.thumbnail_path(media, owner, asset_id, "preview", "jpeg")
    dead = _aged(preview.parent / f".{preview.name}.otherhost-4242.k3j_x9a1.tmp", lease + 30, now)
    live = _aged(preview.parent / f".{preview.name}.otherhost-4243.p0q_z8b2.tmp", 1, now)
    result = await generate_thumbnails(ctx, {"id": asset_id})
    assert result.status == JobStatus.success, result
    assert not dead.exists() and live.exists() and preview.is_file()
    live.unlink()
