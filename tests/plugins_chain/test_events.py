"""The ingest chain runs from events only: upload -> metadata -> thumbnails -> whoever listens
on ``on_thumbnails_generated``, and a plugin that raises on every event does not stop it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.api.asset_helpers import upload
from tests.jobs.conftest import eventually
from tests.plugins.toy_raising import RaisingPlugin, ThumbnailsListener
from tests.plugins_chain import job_state, shared_assets
from tests.plugins_chain.ingest import Ingest, ingesting

PHOTO = "albums/nature/silver_fir.jpg"


async def _upload_and_follow(ingest: Ingest, listener: ThumbnailsListener) -> dict[str, Any]:
    """Upload a photo through the API; return what the toy follow-up job ran for."""
    r = await upload(
        ingest.client, ingest.headers, (shared_assets() / PHOTO).read_bytes(), "fir.jpg"
    )
    assert r.status_code == 201, r.text
    asset_id = r.json()["id"]

    def ran() -> dict[str, Any] | None:
        return next((d for d in listener.ran if d["id"] == asset_id), None)

    done = await eventually(ran, within=60)
    state = await job_state(ingest.db, done["id"])
    assert state is not None
    assert state["metadataExtractedAt"] is not None and state["thumbnailAt"] is not None
    return done


async def test_a_toy_listener_takes_the_place_of_the_video_plugin(
    app: Any, db_url: str, tmp_path: Path
) -> None:
    listener = ThumbnailsListener()
    extra = [("listener", listener)]
    async with ingesting(Ingest, db_url, tmp_path, extra, IMMICH_PLUGINS_SKIP="video") as ingest:
        assert not ingest.ctx.pm.has_plugin("video")
        done = await _upload_and_follow(ingest, listener)
    # the chain's source and the asset's type travelled with the events
    assert (done["source"], done["type"]) == ("upload", "IMAGE")
    assert listener.heard == [(done["id"], "IMAGE", "upload")]


async def test_a_plugin_raising_on_every_event_does_not_stop_the_chain(
    app: Any, db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    listener, raising = ThumbnailsListener(), RaisingPlugin()
    extra = [("listener", listener), ("raising", raising)]
    async with ingesting(Ingest, db_url, tmp_path, extra) as ingest:
        done = await _upload_and_follow(ingest, listener)
    assert done["source"] == "upload"
    for hook in ("on_asset_uploaded", "on_metadata_extracted", "on_thumbnails_generated"):
        assert hook in raising.called
        assert f"plugin 'raising' failed in {hook}" in caplog.text
