"""Temporary files of a killed writer are removed by the next writer of the same file; a live
writer's are kept."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from immich.media.renditions._render import write_atomically
from immich.storage.orphans import HOST, STALE_S, remove_orphans, temp_prefix


def test_only_dead_writers_files_go(tmp_path: Path) -> None:
    dest = tmp_path / "a_preview.jpeg"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f".{dest.name}.{HOST}-{dead.pid}.x1.tmp"
    mine = tmp_path / f"{temp_prefix(dest)}x2.tmp"
    elsewhere = tmp_path / f".{dest.name}.otherhost-{dead.pid}.x3.tmp"
    old_elsewhere = tmp_path / f".{dest.name}.otherhost-1.x4.tmp"
    other_file = tmp_path / f".b_preview.jpeg.{HOST}-{dead.pid}.x5.tmp"
    for path in (orphan, mine, elsewhere, old_elsewhere, other_file):
        path.write_bytes(b"x")
    old = time.time() - STALE_S - 10
    os.utime(old_elsewhere, (old, old))
    assert sorted(remove_orphans(dest)) == sorted([orphan, old_elsewhere])
    assert mine.exists() and elsewhere.exists() and other_file.exists()


def test_writing_a_rendition_removes_a_killed_runs_leftover(tmp_path: Path) -> None:
    dest = tmp_path / "thumbs" / "a_thumbnail.webp"
    dest.parent.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (dest.parent / f".{dest.name}.{HOST}-{dead.pid}.x1.tmp").write_bytes(b"half")
    write_atomically([(dest, b"whole")])
    assert [p.name for p in dest.parent.iterdir()] == [dest.name]
    assert dest.read_bytes() == b"whole"
