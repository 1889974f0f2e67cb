"""The sweep of crashed uploads' leftovers under ``upload/``, with real files and real rows,
through the ``UploadCleanup`` job handler."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from immich.storage import upload_sweep
from plugins.nightly import upload_cleanup
from tests.api.asset_factory import make_asset, user_id

DAY = 24 * 3600


def lay_out(folder: Path, files: dict[str, float]) -> dict[str, Path]:
    """Create each file in ``folder`` with a modification time ``age`` seconds ago."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    now = time.time()
    for name, age in files.items():
        path = folder / name
        path.write_bytes(b"x" * 10)
        os.utime(path, (now - age, now - age))
        paths[name] = path
    return paths


def present(paths: dict[str, Path]) -> set[str]:
    return {name for name, path in paths.items() if path.exists()}


def shard(media: Path, owner: Any, asset_id: str) -> Path:
    return media / "upload" / str(owner) / asset_id[:2] / asset_id[2:4]


async def test_sweep_removes_old_leftovers_and_keeps_the_rest(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    ctx = app.state.ctx
    pool = ctx.db.pool
    media = Path(ctx.settings.media_location)
    owner = await user_id(pool)
    crashed, committed, running, plain, streaming = (str(uuid.uuid4()) for _ in range(5))
    row = await make_asset(pool, owner, id=uuid.UUID(committed))
    assert str(row["id"]) == committed
    files: dict[str, Path] = {}
    # a body cut off mid-stream two days ago (original and sidecar)
    files |= lay_out(
        shard(media, owner, crashed),
        {f".{crashed}.partial": 2 * DAY, f".{crashed}.xmp.partial": 2 * DAY},
    )
    # renamed into place, then the process died before the commit: no row
    files |= lay_out(
        shard(media, owner, crashed),
        {f".{crashed}.pending": 2 * DAY, f"{crashed}.jpg": 3 * DAY, f"{crashed}.jpg.xmp": 2 * DAY},
    )
    # committed, then the process died before the marker went: the files are the row's
    files |= lay_out(
        shard(media, owner, committed),
        {f".{committed}.pending": 2 * DAY, f"{committed}.jpg": 2 * DAY},
    )
    # an upload being renamed right now (another replica): its marker is fresh
    files |= lay_out(
        shard(media, owner, running), {f".{running}.pending": 5, f"{running}.jpg": 3 * DAY}
    )
    # an upload still streaming, and an old file no marker names (e.g. after a DB restore)
    files |= lay_out(shard(media, owner, streaming), {f".{streaming}.partial": 60})
    files |= lay_out(
        shard(media, owner, plain), {f"{plain}.heic": 9 * DAY, "notes.partial": 9 * DAY}
    )

    result = await upload_cleanup(ctx, {})
    gone = {
        f".{crashed}.partial",
        f".{crashed}.xmp.partial",
        f".{crashed}.pending",
        f"{crashed}.jpg",
        f"{crashed}.jpg.xmp",
        f".{committed}.pending",
    }
    assert present(files) == set(files) - gone
    assert sorted(result["removed"]) == sorted(str(files[n]) for n in gone)
    assert present({"m": media / "upload" / ".immich"}) == {"m"}  # the folder's, not ours

    assert await upload_cleanup(ctx, {}) == {"removed": []}  # idempotent
    # a younger age limit reaches the fresh ones
    result = await upload_cleanup(ctx, {"olderThanHours": 0})
    assert sorted(result["removed"]) == sorted(
        str(files[n]) for n in (f".{running}.pending", f"{running}.jpg", f".{streaming}.partial")
    )
    assert present(files) == {f"{committed}.jpg", f"{plain}.heic", "notes.partial"}
    shutil.rmtree(media / "upload" / str(owner))  # the session's media folder is shared


def test_find_stale_reads_names_and_ages(tmp_path: Path) -> None:
    asset_id = str(uuid.uuid4())
    files = lay_out(
        tmp_path / "u" / "aa" / "bb",
        {f".{asset_id}.pending": DAY + 60, f".{asset_id}.partial": DAY - 60, ".immich": 9 * DAY},
    )
    stale = upload_sweep.find_stale(tmp_path, DAY)
    assert stale.partials == ()
    assert stale.pending == ((uuid.UUID(asset_id), files[f".{asset_id}.pending"]),)
    later = upload_sweep.find_stale(tmp_path, DAY, now=time.time() + 120)
    assert later.partials == (files[f".{asset_id}.partial"],)
    assert upload_sweep.find_stale(tmp_path / "missing", DAY) == upload_sweep.Stale((), ())


async def test_sweep_removes_crashed_profile_image_bodies(app: Any) -> None:
    """A profile image streams into ``profile/<user>/.<uuid>.<ext>.partial`` the same way."""
    ctx = app.state.ctx
    media = Path(ctx.settings.media_location)
    owner = await user_id(ctx.db.pool)
    crashed, streaming, kept = (str(uuid.uuid4()) for _ in range(3))
    folder = media / "profile" / str(owner)
    files = lay_out(
        folder,
        {
            f".{crashed}.jpg.partial": 2 * DAY,
            f".{streaming}.png.partial": 60,
            f"{kept}.jpg": 9 * DAY,
        },
    )
    result = await upload_cleanup(ctx, {})
    assert result["removed"] == [str(files[f".{crashed}.jpg.partial"])]
    assert present(files) == {f".{streaming}.png.partial", f"{kept}.jpg"}
    for path in files.values():
        path.unlink(missing_ok=True)
