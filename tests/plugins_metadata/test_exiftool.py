"""The persistent exiftool process: restarts after dying, time limits, cancellation, order."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plugins.metadata import ExifTool, ExifToolError, ExifToolTimeout, read_tags


async def test_restarts_after_being_killed(assets: Path) -> None:
    photo = assets / "metadata/tags/picasa.jpg"
    async with ExifTool() as et:
        first = et.pid
        assert first is not None and et.version
        os.kill(first, signal.SIGKILL)
        tags = await read_tags(photo, exiftool=et)  # the dead process is noticed and replaced
        assert tags["Make"] == "Canon"
        assert et.pid is not None and et.pid != first


async def test_time_limit_kills_then_recovers(assets: Path) -> None:
    photo = assets / "metadata/tags/picasa.jpg"
    async with ExifTool() as et:
        first = et.pid
        with pytest.raises(ExifToolTimeout):
            await et.execute(["-json", "-all", str(photo)], time_limit=0.0001)
        assert et.pid is None  # killed
        assert (await read_tags(photo, exiftool=et))["Make"] == "Canon"
        assert et.pid != first


async def test_cancelled_request_does_not_leak_its_answer(assets: Path) -> None:
    dates = assets / "metadata/tags/picasa.jpg"
    rating = assets / "metadata/rating/mongolels.jpg"
    async with ExifTool() as et:
        task = asyncio.ensure_future(read_tags(dates, exiftool=et))
        await asyncio.sleep(0.002)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        tags = await read_tags(rating, exiftool=et)
        assert tags["Model"] == "Canon EOS 500D"  # this file's answer, not the cancelled one's


async def test_concurrent_requests_get_their_own_answers(assets: Path, exiftool: ExifTool) -> None:
    files = [
        assets / "metadata/tags/picasa.jpg",
        assets / "metadata/rating/mongolels.jpg",
        assets / "metadata/gps-position/empty_gps.jpg",
    ] * 4
    results = await asyncio.gather(*(read_tags(f, exiftool=exiftool) for f in files))
    assert [r["FileName"] for r in results] == [f.name for f in files]


async def test_line_breaks_are_refused(exiftool: ExifTool) -> None:
    with pytest.raises(ExifToolError, match="line break"):
        await exiftool.execute(["-json", "/tmp/a\n-delete_original"])


async def test_missing_executable() -> None:
    et = ExifTool("/nonexistent/exiftool")
    with pytest.raises(ExifToolError, match="libimage-exiftool-perl"):
        await et.start()


async def test_close_ends_the_process() -> None:
    et = ExifTool()
    await et.start()
    pid = et.pid
    assert pid is not None
    await et.close()
    assert et.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_exiftool_dies_with_a_killed_parent(tmp_path: Path) -> None:
    """A parent killed with SIGKILL runs no shutdown code: the kernel's parent-death signal
    ends its exiftool (which, with -stay_open, would otherwise poll its closed stdin for ever)."""
    script = (
        "import asyncio, os, signal\n"
        "from plugins.metadata import ExifTool\n"
        "async def main():\n"
        "    et = ExifTool()\n"
        "    await et.start()\n"
        "    print(et.pid, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "asyncio.run(main())\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    try:
        while not _gone(pid):
            assert time.monotonic() < deadline, "exiftool outlived its killed parent"
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)


def _gone(pid: int) -> bool:
    """No such process, or a zombie (dead, waiting for whoever adopted it to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True
