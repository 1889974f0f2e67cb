"""``.immich`` markers: written on first start, a missing one with assets in the database stops
start-up (in process and in a real ``immich-server``), an unusable folder too."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest

from immich.app import create_app
from immich.storage.layout import FOLDERS
from immich.storage.markers import MediaFolderError
from tests._server import running_server
from tests.api.asset_helpers import uploaded
from tests.conftest import make_settings


async def _start(db_url: str, media: Path, **env: str) -> None:
    app = create_app(make_settings(db_url, media, **env))
    try:
        async with app.router.lifespan_context(app):
            pass
    finally:
        if app.state.ctx.db is not None:  # a refused start leaves its pool open
            await app.state.ctx.db.close()


async def test_first_start_writes_every_marker(
    db_url: str, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    media = tmp_path / "media"
    await _start(db_url, media)  # no assets: a new, empty media folder is fine
    for folder in FOLDERS:
        marker = media / folder / ".immich"
        assert marker.is_file() and marker.read_text().isdigit(), folder


async def test_missing_marker_with_assets_refuses_to_start(
    db_url: str, tmp_path: Path, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    media = tmp_path / "media"
    await _start(db_url, media)
    await uploaded(client, admin_headers, b"\xff\xd8\xff" * 10)
    await _start(db_url, media)  # markers present: starts with assets in the database
    (media / "upload" / ".immich").unlink()
    with pytest.raises(MediaFolderError) as caught:
        await _start(db_url, media)
    message = str(caught.value)
    assert f'"{media / "upload" / ".immich"}"' in message
    assert "Refusing to start" in message and "thumbs" not in message
    assert not (media / "upload" / ".immich").exists()  # nothing written after the refusal
    with pytest.raises(MediaFolderError, match="is the volume mounted"):
        await _start(db_url, tmp_path / "empty-mount")


async def test_ignore_mount_check_errors_logs_and_starts(
    db_url: str,
    tmp_path: Path,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    await uploaded(client, admin_headers, b"\xff\xd8\xff" * 10)
    media = tmp_path / "empty-mount"
    with caplog.at_level(logging.WARNING, logger="immich.storage.markers"):
        await _start(db_url, media, IMMICH_IGNORE_MOUNT_CHECK_ERRORS="true")  # no raise
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "is the volume mounted" in errors[0].getMessage()
    assert f"{media / 'upload' / '.immich'}" in errors[0].getMessage()
    assert any("Ignoring mount folder errors" in r.getMessage() for r in caplog.records)
    assert not (media / "upload" / ".immich").exists()  # checked again at the next start
    with pytest.raises(MediaFolderError):
        await _start(db_url, media, IMMICH_IGNORE_MOUNT_CHECK_ERRORS="false")


async def test_unwritable_folder_fails(
    db_url: str, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    (media / "thumbs").write_text("a file where a folder belongs")
    with pytest.raises(MediaFolderError, match=r'Failed to write ".*thumbs/\.immich"'):
        await _start(db_url, media)


async def test_server_process_refuses_to_start(
    db_url: str, tmp_path: Path, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """A real immich-server on a database with uploads and an empty media folder exits."""
    await uploaded(client, admin_headers, b"\xff\xd8\xff" * 10)
    env = {"DB_URL": db_url, "IMMICH_MEDIA_LOCATION": str(tmp_path / "unmounted")}

    def start() -> str:
        try:
            with running_server(env):
                return "started"
        except RuntimeError as err:
            return str(err)

    output = await asyncio.to_thread(start)
    assert "Refusing to start" in output and "unmounted/upload/.immich" in output
    assert not (tmp_path / "unmounted" / "upload").exists()


def test_two_writers_of_one_marker_never_collide(tmp_path: Path) -> None:
    """Replicas starting together write the same markers: each through its own temp file."""
    import threading

    from immich.storage.files import write_atomic

    marker = tmp_path / "upload" / ".immich"
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(200):
                write_atomic(marker, f"{n}-{i}".encode())
        except BaseException as err:  # noqa: BLE001 - collected for the assert below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert marker.read_bytes().endswith(b"-199")
    assert sorted(p.name for p in marker.parent.iterdir()) == [".immich"]  # no temp left
