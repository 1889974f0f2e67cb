"""The thumbnails plugin in the job chain: every shared test photo gets its files, rows, hash.

One app (api + worker roles, PostgreSQL queue) gets ``formats/`` and ``albums/nature`` plus a
truncated JPEG uploaded through ``POST /api/assets`` once per module; the upload starts the
chain (metadata, then thumbnails) and the tests read what the jobs stored and serve.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import pyvips

from immich.db.repos import exif as exif_repo
from immich.db.repos import users
from immich.jobs.types import JobStatus
from immich.storage import layout
from plugins.thumbnails import _jobs
from plugins.thumbnails._jobs import generate_thumbnails
from tests.api.asset_helpers import upload
from tests.jobs.conftest import eventually
from tests.plugins_chain import (
    add_asset,
    file_facts,
    job_state,
    make_user,
    settled,
    shared_assets,
    tiny_mp4,
)
from tests.plugins_chain.ingest import Ingest, ingesting

FOLDERS = ("formats", "albums/nature")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".heic", ".jxl"})


@attrs.define
class Ingested(Ingest):
    """``ids``: relative path under the shared assets (or "broken") -> asset id."""

    def good(self) -> dict[str, uuid.UUID]:
        return {k: v for k, v in self.ids.items() if k != "broken"}


def image_facts(path: str) -> tuple[str, int, int]:
    """(vips loader, width, height) of a generated file, decoded fully."""
    image = pyvips.Image.new_from_file(path, fail_on="error")
    image.avg()
    return str(image.get("vips-loader")), image.width, image.height


def thumbs_files(media: Path) -> list[Path]:
    return sorted(p for p in (media / "thumbs").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
async def ingested(
    app: Any, db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Ingested]:
    assets = shared_assets()
    media = tmp_path_factory.mktemp("media")
    work = tmp_path_factory.mktemp("work")
    broken = work / "broken.jpg"
    data = (assets / "albums/text/craft-beer.jpg").read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    async with ingesting(Ingested, db_url, media) as ingested:
        client, headers, pool, ids = ingested.client, ingested.headers, ingested.db, ingested.ids
        files = sorted(
            p
            for folder in FOLDERS
            for p in (assets / folder).rglob("*")
            if p.suffix.lower() in IMAGE_SUFFIXES
        )
        for path in files:  # through the upload endpoint: it starts the chain
            r = await upload(client, headers, path.read_bytes(), path.name)
            if r.status_code == 201:  # the same content again is a duplicate (200)
                ids[str(path.relative_to(assets))] = uuid.UUID(r.json()["id"])
        r = await upload(client, headers, broken.read_bytes(), "broken.jpg")
        assert r.status_code == 201, r.text
        ids["broken"] = uuid.UUID(r.json()["id"])
        for asset_id in ids.values():
            await settled(pool, asset_id, "thumbnailAt", "thumbnailGeneration")
        yield ingested


async def test_every_image_has_preview_thumbnail_and_thumbhash(ingested: Ingested) -> None:
    assert len(ingested.good()) == 17  # the distinct images of formats/ and albums/nature
    for name, asset_id in ingested.good().items():
        asset = await ingested.db.fetchrow('SELECT * FROM "asset" WHERE "id" = $1', asset_id)
        files = {
            r["type"]: r
            for r in await ingested.db.fetch(
                'SELECT * FROM "asset_file" WHERE "assetId" = $1', asset_id
            )
        }
        assert set(files) == {"preview", "thumbnail"}, name
        owner, aid = str(ingested.owner), str(asset_id)
        assert files["preview"]["path"] == str(
            layout.thumbnail_path(ingested.media, owner, aid, "preview", "jpeg")
        )
        assert files["thumbnail"]["path"] == str(
            layout.thumbnail_path(ingested.media, owner, aid, "thumbnail", "webp")
        )
        shorter = min(asset["width"], asset["height"])
        loader, width, height = image_facts(files["preview"]["path"])
        assert loader == "jpegload", name
        assert min(width, height) == min(1440, shorter), name
        # the displayed orientation: same aspect as the asset (within rounding)
        assert abs(width / height - asset["width"] / asset["height"]) < 0.02, name
        loader, width, height = image_facts(files["thumbnail"]["path"])
        assert loader == "webpload", name
        assert min(width, height) == min(250, shorter), name
        assert asset["thumbhash"] is not None and 5 <= len(asset["thumbhash"]) <= 30, name
        assert (await job_state(ingested.db, asset_id))["thumbnailAt"] is not None
        r = await ingested.client.get(
            f"/api/assets/{asset_id}/thumbnail?size=preview", headers=ingested.headers
        )
        assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg", name
        assert file_facts(files["preview"]["path"])[2] == hashlib.sha1(r.content).digest()
    # a temporary file never stays behind
    assert not [p for p in thumbs_files(ingested.media) if p.suffix == ".tmp"]


async def test_heic_avif_jxl_and_motion_photo_decode(ingested: Ingested) -> None:
    for name in (
        "formats/heic/IMG_2682.heic",
        "formats/avif/10bit-HDR-P3-nclx.avif",
        "formats/avif/8bit-sRGB.avif",
        "formats/jxl/16bit-HDR-P3-nclx.jxl",
        "formats/jxl/8bit-sRGB.jxl",
        "formats/motionphoto/samsung-one-ui-6.heic",
    ):
        state = await job_state(ingested.db, ingested.ids[name])
        assert state is not None and state["thumbnailAt"] is not None, name
        assert state["failuresText"] == "{}", name


async def test_undecodable_jpeg_records_the_reason(ingested: Ingested) -> None:
    asset_id = ingested.ids["broken"]
    state = await job_state(ingested.db, asset_id)
    assert state is not None and state["thumbnailAt"] is None
    assert state["metadataExtractedAt"] is not None  # exiftool read what was there
    assert '"thumbnailGeneration"' in state["failuresText"]
    assert "cannot decode" in state["failuresText"]
    assert not await ingested.db.fetch('SELECT 1 FROM "asset_file" WHERE "assetId" = $1', asset_id)
    assert not [p for p in thumbs_files(ingested.media) if str(asset_id) in p.name]
    failed = await ingested.ctx.queues.jobs("thumbnailGeneration", ["failed"])
    assert [(j.name, dict(j.data)["id"]) for j in failed] == [
        ("AssetGenerateThumbnails", str(asset_id))
    ]


async def test_running_twice_gives_the_same_rows(ingested: Ingested) -> None:
    asset_id = ingested.ids["formats/png/density_plot.png"]

    async def snapshot() -> Any:
        files = await ingested.db.fetch(
            'SELECT "id", "type", "path" FROM "asset_file" WHERE "assetId" = $1 ORDER BY "type"',
            asset_id,
        )
        thumbhash = await ingested.db.fetchval(
            'SELECT "thumbhash" FROM "asset" WHERE "id" = $1', asset_id
        )
        return [dict(f) for f in files], thumbhash, thumbs_files(ingested.media)

    before = await snapshot()
    result = await generate_thumbnails(ingested.ctx, {"id": str(asset_id)})
    assert result.status == JobStatus.success
    assert await snapshot() == before


async def test_videos_go_to_the_video_plugin(ingested: Ingested, tmp_path: Path) -> None:
    clip = await add_asset(
        ingested.db, ingested.media, ingested.owner, tiny_mp4(tmp_path / "c.mp4")
    )
    result = await generate_thumbnails(ingested.ctx, {"id": str(clip)})
    files = await ingested.db.fetch('SELECT "type" FROM "asset_file" WHERE "assetId" = $1', clip)
    if not ingested.ctx.pm.has_plugin("video"):  # no video plugin loaded: nothing to make
        assert (result.status, result.reason, files) == ("skipped", "video", [])
    else:
        assert (result.status, result.asset_type) == ("success", "VIDEO")
        assert sorted(r["type"] for r in files) == ["preview", "thumbnail"]
    await ingested.db.execute('DELETE FROM "asset" WHERE "id" = $1', clip)


async def test_skips_hidden_and_missing_assets(ingested: Ingested) -> None:
    assets = shared_assets()
    hidden = await add_asset(
        ingested.db,
        ingested.media,
        ingested.owner,
        assets / "albums/text/japanese-shop.jpg",
        visibility="hidden",
    )
    result = await generate_thumbnails(ingested.ctx, {"id": str(hidden)})
    assert (result.status, result.reason) == ("skipped", "hidden")
    assert not await ingested.db.fetch('SELECT 1 FROM "asset_file" WHERE "assetId" = $1', hidden)
    result = await generate_thumbnails(ingested.ctx, {"id": str(uuid.uuid4())})
    assert (result.status, result.reason) == ("skipped", "asset not found")
    with pytest.raises(ValueError, match="asset id"):
        await generate_thumbnails(ingested.ctx, {"id": "nope"})
    await ingested.db.execute('DELETE FROM "asset" WHERE "id" = $1', hidden)


async def test_asset_vanishing_meanwhile_is_skipped_quietly(
    ingested: Ingested, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Its owner is hard-deleted while the thumbnails are made: once a foreign-key violation
    logged at ERROR, now a quiet "skipped" that leaves no file behind."""
    owner = await make_user(ingested.db, "leaving@example.com")
    asset_id = await add_asset(
        ingested.db, ingested.media, owner, shared_assets() / "albums/text/japanese-shop.jpg"
    )
    real_get = exif_repo.get

    async def get_then_owner_leaves(db: Any, wanted: Any) -> Any:
        row = await real_get(db, wanted)
        if wanted == asset_id:
            await users.delete_hard(ingested.db, owner)  # the asset's rows cascade
        return row

    monkeypatch.setattr(_jobs.exif_repo, "get", get_then_owner_leaves)
    caplog.set_level("DEBUG")
    result = await generate_thumbnails(ingested.ctx, {"id": str(asset_id)})
    assert (result.status, result.reason) == (JobStatus.skipped, "asset not found")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "no longer exists" in caplog.text  # one debug line says why
    assert not [p for p in thumbs_files(ingested.media) if str(asset_id) in p.name]


async def test_format_change_and_fullsize(ingested: Ingested) -> None:
    asset_id = ingested.ids["formats/heic/IMG_2682.heic"]
    old_preview = await ingested.db.fetchval(
        'SELECT "path" FROM "asset_file" WHERE "assetId" = $1 AND "type" = \'preview\'', asset_id
    )
    await ingested.ctx.config.update(
        {"image": {"preview": {"format": "webp"}, "fullsize": {"enabled": True}}}
    )
    try:
        await generate_thumbnails(ingested.ctx, {"id": str(asset_id)})
        rows = {
            r["type"]: r["path"]
            for r in await ingested.db.fetch(
                'SELECT * FROM "asset_file" WHERE "assetId" = $1', asset_id
            )
        }
        assert rows["preview"].endswith(f"{asset_id}_preview.webp")
        assert image_facts(rows["preview"])[0] == "webpload"
        assert image_facts(rows["fullsize"])[0] == "jpegload"  # HEIC: browsers need a copy
        assert old_preview not in map(str, thumbs_files(ingested.media))  # the old file is gone
    finally:
        await ingested.ctx.config.update({"image": {"preview": {"format": "jpeg"}}})
        await ingested.ctx.config.update({"image": {"fullsize": {"enabled": False}}})
    await generate_thumbnails(ingested.ctx, {"id": str(asset_id)})
    rows = {
        r["type"]: r["path"]
        for r in await ingested.db.fetch(
            'SELECT * FROM "asset_file" WHERE "assetId" = $1', asset_id
        )
    }
    assert set(rows) == {"preview", "thumbnail"} and rows["preview"] == old_preview
    names = {p.name for p in thumbs_files(ingested.media) if p.name.startswith(str(asset_id))}
    assert names == {f"{asset_id}_preview.jpeg", f"{asset_id}_thumbnail.webp"}


async def test_queue_all_missing_only_queues_what_is_missing(ingested: Ingested) -> None:
    assets = shared_assets()
    gone = ingested.ids["albums/nature/silver_fir.jpg"]
    await ingested.db.execute(
        'DELETE FROM "asset_file" WHERE "assetId" = $1 AND "type" = \'thumbnail\'', gone
    )
    late = await add_asset(
        ingested.db, ingested.media, ingested.owner, assets / "albums/text/handwritten-notes.jpg"
    )
    await ingested.ctx.queues.clear_failed("thumbnailGeneration")
    queue = ingested.ctx.queues
    done = {j.id for j in await queue.jobs("thumbnailGeneration", ["completed"])}
    r = await ingested.client.put(
        "/api/jobs/thumbnailGeneration",
        json={"command": "start", "force": False},
        headers=ingested.headers,
    )
    assert r.status_code == 200, r.text

    async def fresh() -> list[Any]:
        jobs = [
            j for j in await queue.jobs("thumbnailGeneration", ["completed"]) if j.id not in done
        ]
        return jobs if len(jobs) == 3 else []

    jobs = await eventually(fresh, within=60)
    assert sorted((j.name, dict(j.data).get("id")) for j in jobs) == sorted(
        [
            ("AssetGenerateThumbnails", str(gone)),
            ("AssetGenerateThumbnails", str(late)),
            ("AssetGenerateThumbnailsQueueAll", None),
        ]
    )
    assert (
        await ingested.db.fetchval('SELECT count(*) FROM "asset_file" WHERE "assetId" = $1', gone)
        == 2
    )
    assert not await queue.jobs("thumbnailGeneration", ["failed"])  # the broken file: not retried
