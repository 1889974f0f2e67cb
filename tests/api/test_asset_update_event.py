"""``on_asset_update``, as Immich raises it: once the ``SidecarWrite`` an edit queued is done
and the metadata refresh that follows it (``source: "sidecar-write"``) has read the sidecar
back, the owner's clients get the asset's answer (with its exif, tags and people, no owner or
stack; any visibility). Through a real socket.io client against the app (api and worker roles)
served over HTTP; nobody else hears it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest

from tests.api.socket_helpers import Recorder, connected, served
from tests.api.user_helpers import user_and_login
from tests.conftest import SHARED
from tests.plugins_chain import add_asset, settled, shared_assets, start_chain
from tests.plugins_chain.ingest import Ingest, ingesting

SPEC = json.loads((SHARED / "reference" / "immich-openapi-3.1.0.json").read_text())
ASSET_DTO = SPEC["components"]["schemas"]["AssetResponseDto"]
PHOTOS = ("albums/nature/silver_fir.jpg", "albums/nature/el_torcal_rocks.jpg")


@attrs.define
class Live(Ingest):
    url: str = ""
    other: dict[str, str] = attrs.field(factory=dict)

    def asset_id(self, i: int) -> str:
        return str(list(self.ids.values())[i])


@pytest.fixture(scope="module")
async def live(
    app: Any, db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Live]:
    assets = shared_assets()
    media = tmp_path_factory.mktemp("media")
    async with ingesting(Live, db_url, media) as live, served(live.app) as url:
        live.url = url
        _, live.other = await user_and_login(live.client, live.headers)
        for i, photo in enumerate(PHOTOS):
            live.ids[str(i)] = await add_asset(live.db, media, live.owner, assets / photo)
            await start_chain(live.ctx, live.ids[str(i)])
        for asset_id in live.ids.values():
            await settled(live.db, asset_id, "metadataExtractedAt", "metadataExtraction")
            await settled(live.db, asset_id, "thumbnailAt", "thumbnailGeneration")
        yield live


def check_answer(answer: dict[str, Any], asset_id: str) -> None:
    """Immich's payload: an AssetResponseDto of the asset (its required keys, no unknown ones),
    without owner or stack (``getByIdsWithAllRelationsButStacks``)."""
    assert answer["id"] == asset_id
    assert set(ASSET_DTO["required"]) <= set(answer), set(ASSET_DTO["required"]) - set(answer)
    assert set(answer) <= set(ASSET_DTO["properties"])
    assert "owner" not in answer and "stack" not in answer
    assert answer["people"] == [] and answer["resized"] is True
    assert answer["hasMetadata"] is True and "exifInfo" in answer


async def next_update(recorder: Recorder, asset_id: str) -> dict[str, Any]:
    """The next ``on_asset_update`` about ``asset_id`` (others' are passed over)."""
    while True:
        (answer,) = await recorder.next("on_asset_update")
        if answer["id"] == asset_id:
            return answer  # type: ignore[no-any-return]


async def test_an_edit_reaches_the_owner_after_the_sidecar_write(live: Live) -> None:
    asset_id = live.asset_id(0)
    async with connected(live.url, live.headers) as mine, connected(live.url, live.other) as theirs:
        r = await live.client.put(
            f"/api/assets/{asset_id}",
            json={"description": "Seen live", "rating": 3},
            headers=live.headers,
        )
        assert r.status_code == 200, r.text
        answer = await next_update(mine, asset_id)
        check_answer(answer, asset_id)
        # read back from the sidecar the write made
        assert answer["exifInfo"]["description"] == "Seen live"
        assert answer["exifInfo"]["rating"] == 3
        locked = await live.db.fetchval(
            'SELECT "lockedProperties" FROM "asset_exif" WHERE "assetId" = $1', live.ids["0"]
        )
        assert list(locked) == []
        await theirs.next("on_server_version")
        assert theirs.received("on_asset_update") == []


async def test_a_tag_change_sends_the_asset_with_its_tags(live: Live) -> None:
    asset_id = live.asset_id(1)
    r = await live.client.put("/api/tags", json={"tags": ["Live/Event"]}, headers=live.headers)
    (tag,) = r.json()
    async with connected(live.url, live.headers) as mine:
        r = await live.client.put(
            "/api/tags/assets",
            json={"tagIds": [tag["id"]], "assetIds": [asset_id]},
            headers=live.headers,
        )
        assert r.json() == {"count": 1}
        answer = await next_update(mine, asset_id)
        check_answer(answer, asset_id)
        assert [t["value"] for t in answer["tags"]] == ["Live/Event"]
        assert answer["exifInfo"]["description"] == "SONY DSC"  # the photo's own, kept


async def test_a_bulk_update_sends_each_asset_whatever_its_visibility(live: Live) -> None:
    ids = [live.asset_id(0), live.asset_id(1)]
    async with connected(live.url, live.headers) as mine:
        r = await live.client.put(
            "/api/assets", json={"ids": ids, "visibility": "archive"}, headers=live.headers
        )
        assert r.status_code == 204, r.text
        answers = {}
        while len(answers) < 2:
            (answer,) = await mine.next("on_asset_update")
            answers[answer["id"]] = answer
        assert set(answers) == set(ids)
        for asset_id, answer in answers.items():
            check_answer(answer, asset_id)
            assert answer["visibility"] == "archive" and answer["isArchived"] is True
