"""The metadata plugin in the job chain: a worker on the PostgreSQL queue, real files, real rows.

One app (api + worker roles, ``TZ=Europe/Berlin``) ingests the shared ``metadata/`` photos, the
Samsung motion photo, an Apple-style live pair and a bad file once per module, the way an
upload starts the chain; the tests then read what the jobs stored.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from immich.context import AppContext
from immich.db.repos import users
from immich.jobs.types import JobStatus
from tests.jobs.conftest import eventually
from tests.plugins_chain import (
    add_asset,
    file_facts,
    job_state,
    make_user,
    settled,
    shared_assets,
    start_chain,
    tiny_mp4,
)
from tests.plugins_chain.ingest import Ingest, ingesting

FILES = {
    "priority": "metadata/dates/date-priority-test.jpg",
    "gps-date": "metadata/dates/datetimeoriginal-gps.jpg",
    "gps-time": "metadata/dates/gps-datetime.jpg",
    "thompson": "metadata/gps-position/thompson-springs.jpg",
    "rating": "metadata/rating/mongolels.jpg",
    "tags": "metadata/tags/picasa.jpg",
    "sideways": "metadata/faces/portrait-orientation-6.jpg",
    "motion": "formats/motionphoto/samsung-one-ui-6.heic",
}
LIVE_XMP = """<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:apple="http://ns.apple.com/live/1.0/">
<apple:ContentIdentifier>LIVE-0001</apple:ContentIdentifier></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end='w'?>
"""


@attrs.define
class Chain(Ingest):
    async def exif(self, key: str) -> Any:
        return await self.db.fetchrow(
            'SELECT * FROM "asset_exif" WHERE "assetId" = $1', self.ids[key]
        )


@pytest.fixture(scope="module")
async def chain(
    app: Any, db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Chain]:
    assets = shared_assets()
    media = tmp_path_factory.mktemp("media")
    work = tmp_path_factory.mktemp("work")
    async with ingesting(Chain, db_url, media, TZ="Europe/Berlin") as chain:
        ctx, pool, owner_id, ids = chain.ctx, chain.db, chain.owner, chain.ids
        for key, p in FILES.items():
            ids[key] = await add_asset(pool, media, owner_id, assets / p)
        (work / "live.xmp").write_text(LIVE_XMP)
        ids["live-photo"] = await add_asset(
            pool,
            media,
            owner_id,
            assets / "albums/nature/silver_fir.jpg",
            sidecar=work / "live.xmp",
        )
        ids["live-video"] = await add_asset(
            pool, media, owner_id, tiny_mp4(work / "live.mp4"), sidecar=work / "live.xmp"
        )
        junk = work / "junk.jpg"
        junk.write_bytes(bytes(range(256)) * 8)
        ids["junk"] = await add_asset(pool, media, owner_id, junk)
        for asset_id in ids.values():
            await start_chain(ctx, asset_id)
        for asset_id in ids.values():
            await settled(pool, asset_id, "metadataExtractedAt", "metadataExtraction")
        motion_video = await pool.fetchval(
            'SELECT "livePhotoVideoId" FROM "asset" WHERE "id" = $1', ids["motion"]
        )
        if motion_video is not None:  # its own metadata job follows the photo's
            await settled(pool, motion_video, "metadataExtractedAt", "metadataExtraction")
        for key, asset_id in ids.items():  # thumbnails follow; let them finish too
            if key not in ("junk", "live-video"):
                await settled(pool, asset_id, "thumbnailAt", "thumbnailGeneration")
        yield chain


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


async def test_dates_and_zones(chain: Chain) -> None:
    # no zone in the file: TZ (Europe/Berlin, UTC+1 in February) is the fallback zone
    priority = await chain.asset("priority")
    assert priority["fileCreatedAt"] == utc(2023, 2, 2, 1)
    assert priority["localDateTime"] == utc(2023, 2, 2, 2)
    assert (await chain.exif("priority"))["timeZone"] is None
    # a zone from the GPS position wins over TZ
    gps = await chain.asset("gps-date")
    assert gps["fileCreatedAt"] == utc(2025, 12, 1, 18, 30)
    assert gps["localDateTime"] == utc(2025, 12, 1, 11, 30)
    assert (await chain.exif("gps-date"))["timeZone"] == "America/Denver"
    gps_time = await chain.exif("gps-time")
    assert gps_time["dateTimeOriginal"] == utc(2023, 11, 15, 12, 30)
    assert gps_time["timeZone"] == "America/Los_Angeles"
    assert (await chain.asset("gps-time"))["localDateTime"] == utc(2023, 11, 15, 4, 30)


async def test_gps_city_camera_rating_tags(chain: Chain) -> None:
    exif = await chain.exif("thompson")
    assert exif["latitude"] == pytest.approx(39.115)
    assert exif["longitude"] == pytest.approx(-108.400968333)
    assert (exif["city"], exif["state"], exif["country"]) == (
        "Palisade",
        "Colorado",
        "United States of America",
    )
    assert exif["lensModel"] == "Canon EF 24-105mm f/4L IS II USM"
    size, _, _ = file_facts((await chain.asset("thompson"))["originalPath"])
    assert exif["fileSizeInByte"] == size
    assert (await chain.exif("rating"))["rating"] == 3
    assert (await chain.exif("tags"))["tags"] == ["Frost", "Yard"]
    assert (await chain.exif("priority"))["city"] is None


async def test_sideways_photo_gets_display_size(chain: Chain) -> None:
    exif, asset = await chain.exif("sideways"), await chain.asset("sideways")
    assert exif["orientation"] == "6"
    assert (asset["width"], asset["height"]) == (exif["exifImageHeight"], exif["exifImageWidth"])
    assert (exif["exifImageWidth"], exif["exifImageHeight"]) == (700, 840)  # stored pixels


async def test_motion_photo_becomes_hidden_linked_video(chain: Chain) -> None:
    photo = await chain.asset("motion")
    assert photo["livePhotoVideoId"] is not None
    video = await chain.db.fetchrow(
        'SELECT * FROM "asset" WHERE "id" = $1', photo["livePhotoVideoId"]
    )
    assert (video["type"], video["visibility"], video["ownerId"]) == (
        "VIDEO",
        "hidden",
        chain.owner,
    )
    assert video["originalFileName"] == "samsung-one-ui-6.mp4"
    # where Immich puts it: encoded-video/<owner>/<aa>/<bb>/<id>-MP.mp4
    vid = str(video["id"])
    expected = chain.media / "encoded-video" / str(chain.owner) / vid[:2] / vid[2:4]
    assert Path(video["originalPath"]) == expected / f"{vid}-MP.mp4"
    size, head, sha1 = file_facts(video["originalPath"])
    assert head[4:8] == b"ftyp" and size == 3226469
    assert video["checksum"] == sha1
    # its own metadata job ran (a follow-up of the photo's): the clip's own capture date
    await settled(chain.db, video["id"], "metadataExtractedAt", "metadataExtraction")
    video = await chain.db.fetchrow('SELECT * FROM "asset" WHERE "id" = $1', video["id"])
    assert video["fileCreatedAt"] == utc(2024, 1, 13, 5, 38, 55)
    exif = await chain.db.fetchrow('SELECT * FROM "asset_exif" WHERE "assetId" = $1', video["id"])
    assert exif["fps"] == pytest.approx(13.418) and video["id"] != photo["id"]
    duration = await chain.db.fetchval(
        'SELECT "duration" FROM "asset" WHERE "id" = $1', video["id"]
    )
    assert int(duration) == 3130  # milliseconds, as Immich 3
    usage = await chain.db.fetchval(
        'SELECT "quotaUsageInBytes" FROM "user" WHERE "id" = $1', chain.owner
    )
    assert usage == 3226469  # the extracted video counts against the quota


async def test_live_photo_pair_is_linked(chain: Chain) -> None:
    photo, video = await chain.asset("live-photo"), await chain.asset("live-video")
    assert (await chain.exif("live-photo"))["livePhotoCID"] == "LIVE-0001"
    assert (await chain.exif("live-video"))["livePhotoCID"] == "LIVE-0001"
    assert photo["livePhotoVideoId"] == video["id"]
    assert video["visibility"] == "hidden" and photo["visibility"] == "timeline"
    assert video["duration"] is not None and int(video["duration"]) == 400


async def test_bad_file_records_the_reason(chain: Chain) -> None:
    state = await job_state(chain.db, chain.ids["junk"])
    assert state is not None and state["metadataExtractedAt"] is None
    assert "metadataExtraction" in state["failuresText"]
    assert "format error" in state["failuresText"] or "not an image" in state["failuresText"]
    failed = await chain.ctx.queues.jobs("metadataExtraction", ["failed"])
    assert [dict(j.data)["id"] for j in failed] == [str(chain.ids["junk"])]
    # the worker went on: every other asset was extracted
    for key, asset_id in chain.ids.items():
        if key != "junk":
            assert (await job_state(chain.db, asset_id))["metadataExtractedAt"] is not None


async def test_asset_vanishing_meanwhile_is_skipped_quietly(
    chain: Chain, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Its owner is hard-deleted while exiftool reads the file: the job ends as skipped with
    one debug line, not as a foreign-key violation (nor does an unknown id fail)."""
    from plugins.metadata import _jobs

    owner = await make_user(chain.db, "leaving@example.com")
    asset_id = await add_asset(chain.db, chain.media, owner, shared_assets() / FILES["rating"])
    real_extract = _jobs.extract

    async def extract_then_owner_leaves(*args: Any, **kwargs: Any) -> Any:
        exif = await real_extract(*args, **kwargs)
        await users.delete_hard(chain.db, owner)  # the asset's rows cascade
        return exif

    monkeypatch.setattr(_jobs, "extract", extract_then_owner_leaves)
    caplog.set_level(logging.DEBUG)
    result = await _jobs.extract_metadata(chain.ctx, {"id": str(asset_id)})
    assert (result.status, result.reason) == (JobStatus.skipped, "asset not found")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "no longer exists" in caplog.text
    unknown = await _jobs.extract_metadata(chain.ctx, {"id": str(uuid.uuid4())})
    assert unknown.status == JobStatus.skipped


async def test_running_twice_gives_the_same_rows(chain: Chain) -> None:
    from plugins.metadata._jobs import extract_metadata

    def stable(row: Any) -> dict[str, Any]:
        return {k: v for k, v in dict(row).items() if k not in ("updatedAt", "updateId")}

    before = [stable(await chain.asset("motion")), stable(await chain.exif("motion"))]
    count = await chain.db.fetchval('SELECT count(*) FROM "asset"')
    files = sorted(p for p in chain.media.rglob("*") if p.is_file())
    result = await extract_metadata(chain.ctx, {"id": str(chain.ids["motion"])})
    assert result.status == "success" and result.motion_asset_created is False
    assert [stable(await chain.asset("motion")), stable(await chain.exif("motion"))] == before
    assert await chain.db.fetchval('SELECT count(*) FROM "asset"') == count
    assert sorted(p for p in chain.media.rglob("*") if p.is_file()) == files  # no new file


async def test_refresh_metadata_job_and_geocoding_switch(chain: Chain) -> None:
    await chain.ctx.config.update({"reverseGeocoding": {"enabled": False}})
    try:
        before = (await job_state(chain.db, chain.ids["thompson"]))["metadataExtractedAt"]
        r = await chain.client.post(
            "/api/assets/jobs",
            json={"assetIds": [str(chain.ids["thompson"])], "name": "refresh-metadata"},
            headers=chain.headers,
        )
        assert r.status_code == 204, r.text

        async def refreshed() -> bool:
            state = await job_state(chain.db, chain.ids["thompson"])
            return state is not None and state["metadataExtractedAt"] > before

        await eventually(refreshed, within=30)
        exif = await chain.exif("thompson")
        assert exif["latitude"] == pytest.approx(39.115) and exif["city"] is None
    finally:
        await chain.ctx.config.update({"reverseGeocoding": {"enabled": True}})


async def test_queue_all_missing_only_queues_what_is_missing(chain: Chain) -> None:
    assets = shared_assets()
    late = await add_asset(
        chain.db, chain.media, chain.owner, assets / "albums/text/craft-beer.jpg"
    )
    await chain.ctx.queues.clear_failed("metadataExtraction")
    done = {j.id for j in await chain.ctx.queues.jobs("metadataExtraction", ["completed"])}
    r = await chain.client.put(
        "/api/jobs/metadataExtraction",
        json={"command": "start", "force": False},
        headers=chain.headers,
    )
    assert r.status_code == 200, r.text
    await settled(chain.db, late, "metadataExtractedAt", "metadataExtraction")

    async def new_jobs() -> list[Any]:
        jobs = await chain.ctx.queues.jobs("metadataExtraction", ["completed"])
        fresh = [j for j in jobs if j.id not in done]
        return fresh if len(fresh) == 2 else []

    fresh = await eventually(new_jobs, within=30)
    assert sorted((j.name, dict(j.data).get("id")) for j in fresh) == [
        ("AssetExtractMetadata", str(late)),
        ("AssetExtractMetadataQueueAll", None),
    ]
    # the bad file failed before: "missing" does not retry it
    assert not await chain.ctx.queues.jobs("metadataExtraction", ["failed"])


async def test_sidecar_check_finds_a_new_sidecar(chain: Chain) -> None:
    assets = shared_assets()
    asset_id = await add_asset(
        chain.db, chain.media, chain.owner, assets / "metadata/tags/picasa.jpg", name="picasa2.jpg"
    )
    original = Path(
        await chain.db.fetchval('SELECT "originalPath" FROM "asset" WHERE "id" = $1', asset_id)
    )
    sidecar = original.with_suffix(".xmp")
    shutil.copyfile(assets / "metadata/xmp/dates/2000.xmp", sidecar)
    r = await chain.client.put(
        "/api/jobs/sidecar", json={"command": "start", "force": False}, headers=chain.headers
    )
    assert r.status_code == 200, r.text
    await settled(chain.db, asset_id, "metadataExtractedAt", "metadataExtraction")
    row = await chain.db.fetchrow(
        'SELECT "path" FROM "asset_file" WHERE "assetId" = $1 AND "type" = \'sidecar\'', asset_id
    )
    assert row is not None and row["path"] == str(sidecar)
    asset = await chain.db.fetchrow('SELECT * FROM "asset" WHERE "id" = $1', asset_id)
    assert asset["fileCreatedAt"] == utc(2000, 9, 27, 12, 35, 33)  # the sidecar's date


async def test_hook_shutdown_closes_exiftool(db_url: str, chain: Chain) -> None:
    from immich.app import create_app
    from plugins.metadata._jobs import EXIFTOOL_STATE, exiftool
    from tests.conftest import make_settings

    # an api-role app: it does not take jobs from the chain's worker
    other = create_app(make_settings(db_url, chain.media))
    async with other.router.lifespan_context(other):
        ctx: AppContext = other.state.ctx
        assert EXIFTOOL_STATE not in ctx.state  # nothing started before the first job
        et = exiftool(ctx)
        await et.start()
        assert et.pid is not None
    assert et.pid is None and EXIFTOOL_STATE not in ctx.state


async def test_worker_preloads_the_geocoder(chain: Chain) -> None:
    from plugins.metadata import geocode
    from plugins.metadata.plugin import PRELOAD_STATE

    task = chain.ctx.state[PRELOAD_STATE]
    await task
    assert task.done() and geocode._index is not None


def present(path: Path) -> bool:
    return path.is_file()


async def test_deleting_the_motion_photo_removes_its_video_file(chain: Chain) -> None:
    """Last in the module: it deletes the motion photo."""
    photo = await chain.asset("motion")
    video_path = Path(
        await chain.db.fetchval(
            'SELECT "originalPath" FROM "asset" WHERE "id" = $1', photo["livePhotoVideoId"]
        )
    )
    assert present(video_path)
    r = await chain.client.request(
        "DELETE",
        "/api/assets",
        json={"ids": [str(photo["id"])], "force": True},
        headers=chain.headers,
    )
    assert r.status_code == 204, r.text
    count = 'SELECT count(*) FROM "asset" WHERE "id" = ANY($1::uuid[])'
    assert await chain.db.fetchval(count, [photo["id"], photo["livePhotoVideoId"]]) == 0

    async def gone() -> bool:
        return not present(video_path)

    await eventually(gone)  # the worker's FileDelete job
