"""Test helpers for HLS through real servers: open a stream as a player does, decode segments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import av
import httpx

from tests.conftest import sign_up_and_login
from tests.plugins_video.clips import upload_file
from tests.plugins_video.test_routes import enable_streaming, variant_urls


@dataclass(frozen=True)
class Stream:
    admin: dict[str, str]  # the signed-up admin's headers
    base: str  # .../video/stream
    session_id: str
    variant: str
    playlist: str  # the variant playlist's text

    @property
    def folder(self) -> str:
        return f"{self.base}/{self.session_id}/{self.variant}"


async def open_stream(client: httpx.AsyncClient, clip: Path) -> Stream:
    """Sign up, turn streaming on, upload ``clip``, open a session and read the first variant
    playlist (each step must answer 200)."""
    admin = await sign_up_and_login(client)
    await enable_streaming(client, admin)
    asset_id = await upload_file(client, admin, clip)
    base = f"/api/assets/{asset_id}/video/stream"
    r = await client.get(f"{base}/main.m3u8", headers=admin)
    assert r.status_code == 200, r.text
    uri = variant_urls(r.text)[0][1]
    session_id, variant, _ = uri.split("/")
    r = await client.get(f"{base}/{uri}", headers=admin)
    assert r.status_code == 200, r.text
    return Stream(admin, base, session_id, variant, r.text)


def frames(data: bytes, folder: Path) -> list[av.VideoFrame]:
    """Decode an init segment + media segment(s) joined as one file."""
    joined = folder / f"{uuid.uuid4()}.mp4"
    joined.write_bytes(data)
    with av.open(str(joined)) as c:
        return list(c.decode(video=0))
