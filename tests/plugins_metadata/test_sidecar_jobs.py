"""``SidecarWrite`` through the real app and worker (PostgreSQL queue): the owner's edits
(``PUT /assets/{id}``, ``PUT /assets``, tagging and untagging) reach the asset's XMP sidecar,
a metadata refresh reads them back from it, and a write that cannot be done is a recorded job
failure that keeps the edit. The shared photos come from ``../shared/testdata``; the tests skip
when that folder is absent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from immich.db.repos import job_status
from plugins.metadata import ExifTool
from plugins.metadata import _sidecar_repo as sidecar_repo
from plugins.metadata._sidecar_job import sidecar_write
from tests.jobs.conftest import eventually
from tests.plugins_chain import (
    add_asset,
    job_state,
    queues_idle,
    settled,
    shared_assets,
    start_chain,
)
from tests.plugins_chain.ingest import Ingest, ingesting

FILES = {
    "edit": "metadata/tags/picasa.jpg",  # Keywords Frost, Yard; description none; 2010 date
    "bulk": "albums/nature/silver_fir.jpg",
    "broken": "albums/nature/prairie_falcon.jpg",
}
EDIT = {
    "description": "Fjord day\nsecond line",
    "rating": 4,
    "dateTimeOriginal": "2021-06-05T12:20:30.456+02:00",
    "latitude": 59.9139,
    "longitude": 10.7522,
}

TAGGED = ["Frost", "Trips/Norway", "Yard"]


@attrs.define
class Chain(Ingest):
    async def locked(self, key: str) -> list[str]:
        value = await self.db.fetchval(
            'SELECT "lockedProperties" FROM "asset_exif" WHERE "assetId" = $1', self.ids[key]
        )
        return list(value or [])

    async def sidecar(self, key: str) -> Path | None:
        path = await self.db.fetchval(
            'SELECT "path" FROM "asset_file" WHERE "assetId" = $1 AND "type" = \'sidecar\'',
            self.ids[key],
        )
        return None if path is None else Path(path)

    async def settle(self, key: str, *, locked: list[str] | None = None) -> None:
        """Wait until the sidecar and metadata queues are idle and the asset's locks are
        ``locked`` (none: all written and unlocked)."""
        wanted = sorted(locked or [])

        async def done() -> bool:
            idle = await queues_idle(self.ctx, "sidecar", "metadataExtraction")
            return idle and sorted(await self.locked(key)) == wanted

        await eventually(done, within=60, interval=0.2)

    async def info(self, key: str) -> dict[str, Any]:
        r = await self.client.get(f"/api/assets/{self.ids[key]}", headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    async def refresh(self, key: str) -> None:
        asset_id = self.ids[key]
        before = (await job_state(self.db, asset_id))["metadataExtractedAt"]
        r = await self.client.post(
            "/api/assets/jobs",
            json={"assetIds": [str(asset_id)], "name": "refresh-metadata"},
            headers=self.headers,
        )
        assert r.status_code == 204, r.text

        async def refreshed() -> bool:
            state = await job_state(self.db, asset_id)
            return state is not None and state["metadataExtractedAt"] > before

        await eventually(refreshed, within=30)


@pytest.fixture(scope="module")
async def chain(
    app: Any, db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Chain]:
    assets = shared_assets()
    media = tmp_path_factory.mktemp("media")
    async with ingesting(Chain, db_url, media) as chain:
        for key, p in FILES.items():
            chain.ids[key] = await add_asset(chain.db, media, chain.owner, assets / p)
        for asset_id in chain.ids.values():
            await start_chain(chain.ctx, asset_id)
        for asset_id in chain.ids.values():
            await settled(chain.db, asset_id, "metadataExtractedAt", "metadataExtraction")
        for asset_id in chain.ids.values():
            await settled(chain.db, asset_id, "thumbnailAt", "thumbnailGeneration")
        yield chain


async def read_sidecar(et: ExifTool, path: Path) -> dict[str, Any]:
    return await et.read_json(path, ["-json", "-n", "-struct"])


def assert_edited(info: dict[str, Any], tags: list[str]) -> None:
    exif = info["exifInfo"]
    assert exif["description"] == EDIT["description"]
    assert exif["rating"] == 4
    assert exif["dateTimeOriginal"] == info["fileCreatedAt"] == "2021-06-05T10:20:30.456Z"
    assert (exif["latitude"], exif["longitude"]) == (
        pytest.approx(59.9139),
        pytest.approx(10.7522),
    )
    assert sorted(t["value"] for t in info["tags"]) == tags


async def test_edits_and_tags_reach_the_sidecar_and_survive_a_refresh(
    chain: Chain, exiftool: ExifTool
) -> None:
    asset_id = str(chain.ids["edit"])
    assert await chain.sidecar("edit") is None
    r = await chain.client.put(f"/api/assets/{asset_id}", json=EDIT, headers=chain.headers)
    assert r.status_code == 200, r.text
    r = await chain.client.put("/api/tags", json={"tags": ["Trips/Norway"]}, headers=chain.headers)
    (norway,) = r.json()
    r = await chain.client.put(
        "/api/tags/assets",
        json={"tagIds": [norway["id"]], "assetIds": [asset_id]},
        headers=chain.headers,
    )
    assert r.json() == {"count": 1}
    await chain.settle("edit")  # every edited column written and unlocked
    # <original>.xmp made beside the photo and recorded as the asset's sidecar
    original = Path((await chain.asset("edit"))["originalPath"])
    sidecar = await chain.sidecar("edit")
    assert sidecar == original.with_name(original.name + ".xmp")
    on_disk = await read_sidecar(exiftool, sidecar)
    assert on_disk["Description"] == on_disk["ImageDescription"] == EDIT["description"]
    assert on_disk["Rating"] == 4
    assert on_disk["DateTimeOriginal"] == "2021:06:05 12:20:30.456+02:00"
    assert (on_disk["GPSLatitude"], on_disk["GPSLongitude"]) == (
        pytest.approx(59.9139),
        pytest.approx(10.7522),
    )
    assert on_disk["TagsList"] == TAGGED  # the photo's keywords and the new tag
    assert_edited(await chain.info("edit"), TAGGED)
    # unlocked, so a refresh reads them from the sidecar (the photo still says Frost, Yard)
    await chain.refresh("edit")
    assert_edited(await chain.info("edit"), TAGGED)
    assert not list(original.parent.glob(".*"))  # no temporary file left


async def test_untagging_everything_keeps_the_asset_untagged(
    chain: Chain, exiftool: ExifTool
) -> None:
    asset_id = str(chain.ids["edit"])
    for value in TAGGED:
        tag_id = await chain.db.fetchval(
            'SELECT "id" FROM "tag" WHERE "value" = $1 AND "userId" = $2', value, chain.owner
        )
        r = await chain.client.request(
            "DELETE", f"/api/tags/{tag_id}/assets", json={"ids": [asset_id]}, headers=chain.headers
        )
        assert r.json() == [{"id": asset_id, "success": True}]
    # XMP keeps no empty list: TagsList is removed and the lock stays
    await chain.settle("edit", locked=["tags"])
    sidecar = await chain.sidecar("edit")
    assert sidecar is not None
    assert "TagsList" not in await read_sidecar(exiftool, sidecar)
    await chain.refresh("edit")
    assert (await chain.info("edit"))["tags"] == []  # not the photo's Frost, Yard


async def test_a_bulk_update_writes_each_sidecar(chain: Chain, exiftool: ExifTool) -> None:
    r = await chain.client.put(
        "/api/assets",
        json={"ids": [str(chain.ids["bulk"])], "rating": 2, "description": "bulk"},
        headers=chain.headers,
    )
    assert r.status_code == 204, r.text
    await chain.settle("bulk")
    sidecar = await chain.sidecar("bulk")
    assert sidecar is not None
    on_disk = await read_sidecar(exiftool, sidecar)
    assert (on_disk["Rating"], on_disk["Description"]) == (2, "bulk")
    assert "DateTimeOriginal" not in on_disk and "TagsList" not in on_disk  # not edited
    exif = (await chain.info("bulk"))["exifInfo"]
    assert (exif["rating"], exif["description"]) == (2, "bulk")


async def test_a_write_that_fails_is_a_recorded_job_failure(chain: Chain) -> None:
    original = Path((await chain.asset("broken"))["originalPath"])
    original.with_name(original.name + ".xmp").mkdir()  # a folder where the sidecar goes
    r = await chain.client.put(
        f"/api/assets/{chain.ids['broken']}", json={"rating": 5}, headers=chain.headers
    )
    assert r.status_code == 200, r.text

    async def recorded() -> dict[str, Any]:
        return await job_status.failures(chain.db, chain.ids["broken"])

    failures = await eventually(recorded, within=30)
    assert "sidecar" in failures and "Is a directory" in failures["sidecar"]
    await chain.settle("broken", locked=["rating"])  # the edit stays locked
    failed = await chain.ctx.queues.failed("sidecar")
    assert [job.data["id"] for job in failed if job.name == "SidecarWrite"] == [
        str(chain.ids["broken"])
    ]
    assert await chain.sidecar("broken") is None
    await chain.refresh("broken")  # the refresh keeps the owner's rating
    assert (await chain.info("broken"))["exifInfo"]["rating"] == 5
    # the worker goes on: another asset's write still runs
    r = await chain.client.put(
        f"/api/assets/{chain.ids['bulk']}", json={"rating": 3}, headers=chain.headers
    )
    await chain.settle("bulk")
    assert (await chain.info("bulk"))["exifInfo"]["rating"] == 3
    # the folder gone, the next edit's write succeeds and the failure is forgotten
    original.with_name(original.name + ".xmp").rmdir()
    r = await chain.client.put(
        f"/api/assets/{chain.ids['broken']}", json={"rating": 4}, headers=chain.headers
    )
    await chain.settle("broken")
    assert await chain.sidecar("broken") == original.with_name(original.name + ".xmp")
    assert "sidecar" not in await job_status.failures(chain.db, chain.ids["broken"])
    assert (await chain.info("broken"))["exifInfo"]["rating"] == 4


async def test_nothing_edited_writes_nothing(chain: Chain) -> None:
    """A bulk favourite queues the write too (Immich's updateAll); with nothing locked it
    skips, and the sidecar stays as it was."""
    sidecar = await chain.sidecar("broken")
    assert sidecar is not None and await chain.locked("broken") == []
    before = sidecar.stat().st_mtime_ns
    r = await chain.client.put(
        "/api/assets",
        json={"ids": [str(chain.ids["broken"])], "isFavorite": True},
        headers=chain.headers,
    )
    assert r.status_code == 204, r.text
    await chain.settle("broken")
    assert sidecar.stat().st_mtime_ns == before


async def test_two_writes_of_one_asset_take_turns(chain: Chain, exiftool: ExifTool) -> None:
    """A write waits while another holds the asset's turn, and rows stay free meanwhile."""
    asset_id = chain.ids["bulk"]
    await chain.db.execute(
        'UPDATE "asset_exif" SET "rating" = 5, "lockedProperties" = \'{rating}\' '
        'WHERE "assetId" = $1',
        asset_id,
    )
    async with chain.db.acquire() as conn, conn.transaction():
        await sidecar_repo.take_turn(conn, asset_id)  # another write of the asset, running
        job = asyncio.create_task(sidecar_write(chain.ctx, {"id": str(asset_id)}))
        await asyncio.sleep(0.5)
        assert not job.done()
        # an edit does not wait for the sidecar's turn
        r = await chain.client.put(
            f"/api/assets/{asset_id}", json={"description": "meanwhile"}, headers=chain.headers
        )
        assert r.status_code == 200, r.text
    result = await asyncio.wait_for(job, 30)
    assert result.ok and "rating" in result.written
    await chain.settle("bulk")
    sidecar = await chain.sidecar("bulk")
    assert sidecar is not None
    on_disk = await read_sidecar(exiftool, sidecar)
    assert (on_disk["Rating"], on_disk["Description"]) == (5, "meanwhile")
