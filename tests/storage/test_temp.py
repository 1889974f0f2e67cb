"""Temporary parts a killed writer leaves in the media folder (``immich.storage.temp``): every
name form our writers use is swept once older than the lease, a younger one (a live writer's)
is kept, parts of one writer go together, and names that are not ours are never touched."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from immich.media.renditions import write_atomically
from immich.storage import temp
from immich.storage.files import write_atomic

LEASE = 60


def _aged(path: Path, age_s: float, now: float, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    os.utime(path, (now - age_s, now - age_s))
    return path


def _stats(temp_file: Path, age_s: float, now: float) -> Path:
    """A two-pass stats folder of ``temp_file``, everything in it written ``age_s`` ago."""
    folder = temp.work_folder_for(temp_file)
    folder.mkdir()
    _aged(folder / "video.stats", age_s, now)
    return _aged(folder, age_s, now)


def _caught_temp(monkeypatch: pytest.MonkeyPatch, write: object, *args: object) -> Path:
    """The temporary file ``write(*args)`` makes, kept as if its writer was killed before the
    rename (``os.replace`` fails, the writer's clean-up is undone)."""
    made: list[Path] = []

    def no_rename(src: object, dst: object) -> None:
        made.append(Path(str(src)))
        raise KeyboardInterrupt  # a kill, here: no clean-up may run...

    monkeypatch.setattr(os, "replace", no_rename)
    monkeypatch.setattr(Path, "replace", lambda self, dst: no_rename(self, dst))
    unlink = Path.unlink
    monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: None)
    with pytest.raises(KeyboardInterrupt):
        write(*args)  # type: ignore[operator]
    monkeypatch.setattr(Path, "unlink", unlink)
    assert len(made) == 1 and made[0].is_file()
    return made[0]


def test_every_writers_leftover_goes_once_older_than_the_lease(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real writers' names (renditions, small files written whole, transcodes and their
    stats folders), stale and fresh, under a thumbs-like tree."""
    now = time.time()
    shard = tmp_path / "root" / "owner" / "ab" / "cd"
    shard.mkdir(parents=True)
    rendition = _caught_temp(monkeypatch, write_atomically, [(shard / "a_preview.jpeg", b"jpeg")])
    whole = _caught_temp(monkeypatch, write_atomic, tmp_path / "root" / ".immich", b"1")
    monkeypatch.undo()
    video = temp.temp_for(shard / "b.mp4")
    stale = [_aged(p, LEASE + 5, now) for p in (rendition, whole, video)]
    stale.append(_stats(video, LEASE + 5, now))
    fresh = [
        _aged(temp.temp_for(shard / "c.mp4"), LEASE - 5, now),
        _aged(shard / ".d_thumbnail.webp.host-1.abcdefgh.tmp", 1, now),
        _aged(shard / ".e.xmp.12.0123abcd.partial", 1, now),
    ]
    assert sorted(temp.sweep(tmp_path / "root", LEASE, now)) == sorted(stale)
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in fresh)


def test_names_that_are_not_ours_stay(tmp_path: Path) -> None:
    now = time.time()
    keep = [
        _aged(tmp_path / "x.mp4", 3600, now),  # final files
        _aged(tmp_path / "x_preview.jpeg", 3600, now),
        _aged(tmp_path / ".immich", 3600, now),
        _aged(tmp_path / f".{uuid.uuid4()}.partial", 3600, now),  # an upload's body
        _aged(tmp_path / f".{uuid.uuid4()}.xmp.partial", 3600, now),
        _aged(tmp_path / ".abcd-5.mp4.tmp", 3600, now),  # no nonce: someone else's
        _aged(tmp_path / "visible.123.0123abcd.partial", 3600, now),  # not hidden
    ]
    folder = tmp_path / f".x.{uuid.uuid4().hex}.tmp"  # a folder with a file's name form
    folder.mkdir()
    _aged(folder, 3600, now)
    assert temp.sweep(tmp_path, LEASE, now) == []
    assert all(p.exists() for p in keep) and folder.is_dir()
    assert temp.sweep(tmp_path / "nowhere", LEASE, now) == []


def test_a_stats_folder_stays_while_its_output_is_written(tmp_path: Path) -> None:
    """A second pass reads its stats and writes its MP4: the old stats folder belongs to a
    live writer while the MP4 with its token grows; both go once both are old."""
    now = time.time()
    output = _aged(temp.temp_for(tmp_path / "v.mp4"), 1, now)
    stats = _stats(output, LEASE + 100, now)
    assert temp.sweep(tmp_path, LEASE, now) == []
    assert temp.sweep_leftovers_of(tmp_path / "v.mp4", LEASE, now) == []
    assert stats.is_dir() and output.exists()
    # the first pass: no MP4 yet, a stats file inside the folder still being written
    lone = _stats(temp.temp_for(tmp_path / "w.mp4"), LEASE + 100, now)
    _aged(lone / "video.stats.temp", 1, now)
    _aged(lone, LEASE + 100, now)  # the folder itself untouched since it was made
    assert temp.sweep(tmp_path, LEASE, now) == []
    _aged(output, LEASE + 1, now)
    _aged(lone / "video.stats.temp", LEASE + 1, now)
    assert sorted(temp.sweep(tmp_path, LEASE, now)) == sorted([output, stats, lone])


def test_skipped_folders_are_not_walked(tmp_path: Path) -> None:
    now = time.time()
    hls = _aged(temp.temp_for(tmp_path / "hls" / "s" / "seg.mp4"), 3600, now)
    nested = _aged(temp.temp_for(tmp_path / "owner" / "hls" / "x.mp4"), 3600, now)
    assert temp.sweep(tmp_path, LEASE, now, skip=("hls",)) == [nested]
    assert hls.exists()


def test_a_destinations_own_leftovers(tmp_path: Path) -> None:
    now = time.time()
    dest = tmp_path / "aaaa.mp4"
    mine = _aged(temp.temp_for(dest), LEASE + 1, now)
    my_stats = _stats(mine, LEASE + 1, now)
    mine_fresh = _aged(temp.temp_for(dest), 1, now)
    theirs = _aged(temp.temp_for(tmp_path / "aaaa-MP.mp4.mp4"), LEASE + 1, now)
    assert sorted(temp.sweep_leftovers_of(dest, LEASE, now)) == sorted([mine, my_stats])
    assert mine_fresh.exists() and theirs.exists()
    preview = tmp_path / "a_preview.jpeg"  # the renditions' and whole files' forms: by name
    rendition = _aged(tmp_path / ".a_preview.jpeg.host-1.abcdefgh.tmp", LEASE + 1, now)
    fresh = _aged(tmp_path / ".a_preview.jpeg.host-2.abcdefgh.tmp", 1, now)
    other = _aged(tmp_path / ".a_thumbnail.jpeg.host-1.abcdefgh.tmp", LEASE + 1, now)
    assert temp.sweep_leftovers_of(preview, LEASE, now) == [rendition]
    assert fresh.exists() and other.exists()
    assert temp.sweep_leftovers_of(tmp_path / "none" / "x.mp4", LEASE, now) == []
    with pytest.raises(ValueError):
        temp.work_folder_for(tmp_path / "aaaa.mp4")


async def test_the_upload_cleanup_job_sweeps_the_server_named_folders(app: Any) -> None:
    """``UploadCleanup`` takes killed writers' temporary files older than the lease from
    ``upload/``, ``profile/`` and ``backups/``; never from ``library/`` (users' names)."""
    from plugins.nightly import upload_cleanup

    ctx = app.state.ctx
    media, lease, now = ctx.settings.media_location, ctx.settings.job_lease_s, time.time()
    shard = media / "upload" / str(uuid.uuid4()) / "ab" / "cd"
    asset = uuid.uuid4()
    stale = [
        _aged(shard / f".{asset}.jpg.xmp.4242.0123abcd.partial", lease + 30, now),  # a sidecar
        _aged(media / "profile" / ".immich.4242.0123abcd.partial", lease + 30, now),  # a marker
        _aged(media / "backups" / ".immich.4243.0123abcd.partial", lease + 30, now),
    ]
    kept = [
        _aged(shard / f".{asset}.jpg.xmp.4244.0123abcd.partial", 1, now),  # being written
        _aged(shard / f".{asset}.partial", lease + 30, now),  # a body: 24 hours, its sweep's
        _aged(media / "library" / "admin" / ".IMG.4242.0123abcd.partial", lease + 30, now),
    ]
    result = await upload_cleanup(ctx, {})
    assert set(map(str, stale)) <= set(result["removed"])  # (the media folder is shared)
    assert not any(p.exists() for p in stale) and all(p.exists() for p in kept)
    for path in kept:
        path.unlink()


async def test_exiftools_side_files_are_in_the_media_folder_and_swept(tmp_path: Path) -> None:
    """The UTF-8 copy of a UTF-16 sidecar and the JSON of tags written into a sidecar go
    beside the sidecar (not /tmp) under a name the sweeps know: a killed worker's are removed."""
    from plugins.metadata.sidecar import readable_sidecar
    from plugins.metadata.sidecar_write import write_sidecar

    folder = tmp_path / "upload" / "user" / "ab" / "cd"
    folder.mkdir(parents=True)
    sidecar = folder / "photo.jpg.xmp"
    sidecar.write_bytes('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'.encode("utf-16"))
    later = time.time() + LEASE + 1
    with readable_sidecar(sidecar) as copy:
        assert copy.parent == folder and copy.suffix == ".xmp"
        assert temp.sweep(tmp_path / "upload", LEASE, now=later) == [copy]  # as if killed

    seen: list[str] = []

    class FakeExifTool:
        async def run(self, args: list[str]) -> tuple[bytes, bytes]:
            seen.extend(p.name for p in folder.iterdir() if p.name.endswith(".json"))
            return b"", b"1 image files updated"

    await write_sidecar(FakeExifTool(), sidecar, {"Rating": 3})  # type: ignore[arg-type]
    assert len(seen) == 1 and seen[0].startswith(".photo.jpg.xmp.")
    assert temp._group(seen[0], False) is not None  # a form the sweeps remove
    assert sorted(p.name for p in folder.iterdir()) == ["photo.jpg.xmp"]  # nothing left
    left = _aged(folder / seen[0], LEASE + 5, time.time())
    assert temp.sweep_server_named(tmp_path, LEASE) == [left]
