"""twoPass: an analysis pass, then the real one, within Immich's bitrate distribution."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import av
import pytest

from plugins.video import _twopass
from plugins.video.config import FFmpegConfig
from plugins.video.probe import probe
from plugins.video.transcode import transcode

from .clips import make_clip


def ff(**values: object) -> FFmpegConfig:
    return FFmpegConfig.from_dict(
        {"transcode": "all", "targetResolution": "original", "twoPass": True, **values}
    )


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s at 320x240: enough picture to need more than a low bitrate target."""
    folder = tmp_path_factory.mktemp("twopass")
    return make_clip(folder / "busy.mp4", seconds=4.0, width=320, height=240, audio=None)


def video_bitrate(path: Path) -> tuple[float, int]:
    """(video bits per second, frames decoded)."""
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        size = sum(p.size for p in c.demux(stream) if p.size)
    with av.open(str(path)) as c:
        frames = sum(1 for _ in c.decode(video=0))
    return size * 8 / 4.0, frames


def test_eligibility_follows_immich() -> None:
    assert _twopass.eligible(ff(maxBitrate="800k"))
    assert not _twopass.eligible(ff(maxBitrate="0"))  # h264 without a cap: CRF, one pass
    assert not _twopass.eligible(ff(maxBitrate="800k", twoPass=False))
    assert _twopass.eligible(ff(targetVideoCodec="vp9"))  # VP9: also constrained quality
    opts = _twopass.options(ff(maxBitrate="1450"), "h264")  # a bare number is kbit/s
    assert "crf" not in opts
    assert (opts["b"], opts["minrate"], opts["maxrate"]) == ("1000000", "500000", "1450000")


@pytest.mark.parametrize("codec", ["h264", "hevc"])
def test_two_pass_output_plays_within_the_bitrate_range(
    busy: Path, tmp_path: Path, codec: str
) -> None:
    cfg = ff(targetVideoCodec=codec, maxBitrate="400k", preset="ultrafast")
    result = transcode(busy, tmp_path / "o.mp4", cfg)
    rate, frames = video_bitrate(result.path)
    assert frames == 120  # every frame decodes
    target = 400_000 / 1.45
    assert target * 0.9 < rate < target * 1.1, rate  # two-pass ABR lands on the target
    assert probe(result.path).video.codec_name == codec  # type: ignore[union-attr]


def test_first_pass_writes_stats_and_they_are_removed_after(
    busy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = ff(maxBitrate="400k")
    stats = tmp_path / "probe.stats"
    frames = _twopass.first_pass(busy, 0, cfg, 0, (320, 240), None, stats)
    assert frames == 120 and stats.stat().st_size > 0  # the analysis pass wrote its stats
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    transcode(busy, tmp_path / "o.mp4", cfg)
    assert list(scratch.iterdir()) == []  # the stats folder went with its files


def test_vp9_falls_back_to_one_pass_and_says_why(
    busy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="plugins.video._twopass")
    result = transcode(busy, tmp_path / "v.mp4", ff(targetVideoCodec="vp9", preset="ultrafast"))
    assert video_bitrate(result.path)[1] == 120
    assert any("one pass" in r.getMessage() for r in caplog.records)
