"""Tags from the files' keywords, through the job chain (a worker on the PostgreSQL queue).

Immich's ``getTagList``: ``TagsList`` (digiKam paths), else ``HierarchicalSubject`` (Lightroom,
``|`` between levels), else ``Keywords``; each path becomes the owner's tags with their
parents, and the asset carries exactly those. A metadata refresh reads the file again, unless
the owner changed the asset's tags through the API (then their tags are kept, as Immich locks
``asset_exif.tags``). The shared photos come from ``../shared/testdata/immich-test-assets``;
the tests skip when that folder is absent.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import attrs
import pytest

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
    "keywords": "metadata/tags/picasa.jpg",  # IPTC Keywords: Frost, Yard
    "tagslist": "metadata/faces/portrait.jpg",  # TagsList People/Marie Curie, People/Pierre Curie
    "hierarchical": "albums/nature/prairie_falcon.jpg",  # HierarchicalSubject "Other Keywords|SFAN"
}
SIDECAR = """<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:digiKam="http://www.digikam.org/ns/1.0/">
<digiKam:TagsList><rdf:Seq>{items}</rdf:Seq></digiKam:TagsList></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end='w'?>
"""


def sidecar_text(*tags: str) -> str:
    return SIDECAR.format(items="".join(f"<rdf:li>{t}</rdf:li>" for t in tags))


@attrs.define
class Chain(Ingest):
    async def tag_values(self, key: str) -> set[str]:
        rows = await self.db.fetch(
            'SELECT t."value" FROM "tag_asset" ta JOIN "tag" t ON t."id" = ta."tagId" '
            'WHERE ta."assetId" = $1',
            self.ids[key],
        )
        return {r["value"] for r in rows}

    async def sidecar_path(self, key: str) -> Path:
        path = await self.db.fetchval(
            'SELECT "path" FROM "asset_file" WHERE "assetId" = $1 AND "type" = \'sidecar\'',
            self.ids[key],
        )
        return Path(path)

    async def refresh(self, key: str) -> None:
        """``refresh-metadata`` through the API; wait until the job ran again."""
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
    work = tmp_path_factory.mktemp("work")
    async with ingesting(Chain, db_url, media) as chain:
        for key, p in FILES.items():
            chain.ids[key] = await add_asset(chain.db, media, chain.owner, assets / p)
        (work / "trip.xmp").write_text(sidecar_text("Trips/Norway/Oslo", "Trips/Norway"))
        chain.ids["sidecar"] = await add_asset(
            chain.db,
            media,
            chain.owner,
            assets / "albums/nature/silver_fir.jpg",
            sidecar=work / "trip.xmp",
        )
        for asset_id in chain.ids.values():
            await start_chain(chain.ctx, asset_id)
        for asset_id in chain.ids.values():
            await settled(chain.db, asset_id, "metadataExtractedAt", "metadataExtraction")
        for asset_id in chain.ids.values():  # thumbnails follow; let them finish too
            await settled(chain.db, asset_id, "thumbnailAt", "thumbnailGeneration")
        yield chain


async def test_each_keyword_source_becomes_tags(chain: Chain) -> None:
    assert await chain.tag_values("keywords") == {"Frost", "Yard"}
    assert await chain.tag_values("tagslist") == {"People/Marie Curie", "People/Pierre Curie"}
    hierarchical = await chain.tag_values("hierarchical")
    assert "Other Keywords/SFAN" in hierarchical and "prairie falcons" in hierarchical
    assert "SFAN" not in hierarchical  # HierarchicalSubject wins over Keywords
    assert await chain.tag_values("sidecar") == {"Trips/Norway/Oslo", "Trips/Norway"}


async def test_the_api_shows_the_hierarchy_and_the_asset_its_tags(chain: Chain) -> None:
    r = await chain.client.get("/api/tags", headers=chain.headers)
    assert r.status_code == 200
    tags = {t["value"]: t for t in r.json()}
    # parents are made for each path, once, even when two files share them
    assert {"People", "Trips", "Other Keywords"} <= set(tags)
    assert tags["People/Marie Curie"]["parentId"] == tags["People"]["id"]
    assert tags["People/Pierre Curie"]["parentId"] == tags["People"]["id"]
    assert tags["Trips/Norway/Oslo"]["parentId"] == tags["Trips/Norway"]["id"]
    assert tags["Trips/Norway"]["parentId"] == tags["Trips"]["id"]
    assert "parentId" not in tags["Frost"]
    r = await chain.client.get(f"/api/assets/{chain.ids['tagslist']}", headers=chain.headers)
    assert [t["name"] for t in r.json()["tags"]] == ["Marie Curie", "Pierre Curie"]


async def test_refresh_reads_the_keywords_again(chain: Chain) -> None:
    (await chain.sidecar_path("sidecar")).write_text(sidecar_text("Trips/Sweden"))
    await chain.refresh("sidecar")
    assert await chain.tag_values("sidecar") == {"Trips/Sweden"}
    values = {
        t["value"] for t in (await chain.client.get("/api/tags", headers=chain.headers)).json()
    }
    assert "Trips/Sweden" in values
    assert "Trips/Norway/Oslo" in values  # unused tags stay (Immich's tag cleanup job drops them)


async def test_refresh_keeps_the_tags_the_owner_set(chain: Chain) -> None:
    asset_id = str(chain.ids["keywords"])
    r = await chain.client.put("/api/tags", json={"tags": ["Mine"]}, headers=chain.headers)
    (mine,) = r.json()
    r = await chain.client.put(
        f"/api/tags/{mine['id']}/assets", json={"ids": [asset_id]}, headers=chain.headers
    )
    assert r.json() == [{"id": asset_id, "success": True}]
    frost = await chain.db.fetchval(
        'SELECT "id" FROM "tag" WHERE "value" = \'Frost\' AND "userId" = $1', chain.owner
    )
    r = await chain.client.request(
        "DELETE", f"/api/tags/{frost}/assets", json={"ids": [asset_id]}, headers=chain.headers
    )
    assert r.json() == [{"id": asset_id, "success": True}]
    await chain.refresh("keywords")
    await eventually(lambda: queues_idle(chain.ctx, "sidecar", "metadataExtraction"), within=60)
    # the file still says Frost, Yard; the owner's choice (Mine, Yard) stands (and is in the
    # XMP sidecar SidecarWrite made, which a refresh reads)
    assert await chain.tag_values("keywords") == {"Mine", "Yard"}
    exif = await chain.db.fetchrow(
        'SELECT "tags", "lockedProperties" FROM "asset_exif" WHERE "assetId" = $1',
        uuid.UUID(asset_id),
    )
    assert exif["tags"] == ["Mine", "Yard"]
