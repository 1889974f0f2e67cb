"""HDR -> SDR tone mapping: real 10-bit PQ/HLG clips through the transcode, HLS and posters."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from plugins.video._segmenter import Producer, Rendition, Timeline
from plugins.video._tonemap import ToneMap, cube_text, lut_file, plan, tonemap_rgb
from plugins.video.config import FFmpegConfig
from plugins.video.poster import pick_frame
from plugins.video.probe import probe
from plugins.video.transcode import transcode

from .clips import make_hdr_clip, pq_signal

# luma (8-bit, limited range) of a 100 cd/m² grey after each curve, from the formulas
EXPECTED_100_NITS = {"hable": 16 + 0.436 * 219, "mobius": 16 + 0.718 * 219}


@pytest.fixture(scope="module")
def hdr(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, float], Path]:
    folder = tmp_path_factory.mktemp("hdr")
    made: dict[tuple[str, float], Path] = {}

    def get(transfer: str, signal: float) -> Path:
        if (transfer, signal) not in made:
            trc = 16 if transfer == "pq" else 18
            path = folder / f"{transfer}-{signal:.3f}.mkv"
            made[transfer, signal] = make_hdr_clip(path, signal=signal, transfer=trc)
        return made[transfer, signal]

    return get


def ff(**values: object) -> FFmpegConfig:
    return FFmpegConfig.from_dict({"transcode": "all", "targetResolution": "original", **values})


def tags(path: Path) -> tuple[int, int, int]:
    with av.open(str(path)) as c:
        frame = next(c.decode(video=0))
        return int(frame.color_primaries), int(frame.color_trc), int(frame.colorspace)


def mean_luma(path: Path) -> float:
    with av.open(str(path)) as c:
        frames = [f.to_ndarray()[: f.height] for f in c.decode(video=0)]
    assert frames
    return float(np.mean(frames))


def test_probe_sees_pq_hlg_and_bt2020(hdr: Callable[[str, float], Path]) -> None:
    pq = probe(hdr("pq", pq_signal(100))).video
    hlg = probe(hdr("hlg", 0.75)).video
    assert pq is not None and hlg is not None
    assert (pq.color_transfer, pq.color_primaries, pq.is_hdr) == ("smpte2084", 9, True)
    assert (hlg.color_transfer, hlg.is_hdr) == ("arib-std-b67", True)
    assert plan("hable", pq.color_trc, pq.color_primaries) == ToneMap("pq", "hable")
    assert plan("disabled", pq.color_trc, pq.color_primaries) is None
    assert plan("hable", 1, 1) is None  # BT.709 SDR needs nothing
    assert plan("hable", 14, 9) == ToneMap("sdr", "hable")  # BT.2020 SDR: primaries only


@pytest.mark.parametrize("algorithm", ["hable", "mobius"])
def test_pq_grey_becomes_a_mid_grey_tagged_bt709(
    hdr: Callable[[str, float], Path], tmp_path: Path, algorithm: str
) -> None:
    source = hdr("pq", pq_signal(100))
    result = transcode(source, tmp_path / "o.mp4", ff(tonemap=algorithm))
    assert tags(result.path) == (1, 1, 1)  # BT.709 primaries, transfer and matrix
    assert probe(result.path).video.pixel_format == "yuv420p"  # type: ignore[union-attr]
    assert mean_luma(result.path) == pytest.approx(EXPECTED_100_NITS[algorithm], abs=4)


def test_brighter_hdr_stays_brighter_and_never_clips_to_white(
    hdr: Callable[[str, float], Path], tmp_path: Path
) -> None:
    levels = [
        mean_luma(transcode(hdr("pq", pq_signal(n)), tmp_path / f"{n}.mp4", ff()).path)
        for n in (10, 100, 1000)
    ]
    assert levels[0] < levels[1] < levels[2] < 230  # graded, highlights kept below white
    assert levels[0] > 30  # shadows not crushed to black


def test_hlg_is_tone_mapped_too(hdr: Callable[[str, float], Path], tmp_path: Path) -> None:
    result = transcode(hdr("hlg", 0.75), tmp_path / "h.mp4", ff())
    assert tags(result.path) == (1, 1, 1)
    assert 100 < mean_luma(result.path) < 190  # HLG reference white: a light grey


def test_disabled_keeps_the_hdr_tags(hdr: Callable[[str, float], Path], tmp_path: Path) -> None:
    source = hdr("pq", pq_signal(100))
    result = transcode(source, tmp_path / "d.mp4", ff(tonemap="disabled"))
    assert tags(result.path) == (9, 16, 9)
    # the PQ code value passed through as it was (no curve applied)
    assert mean_luma(result.path) == pytest.approx(16 + pq_signal(100) * 219, abs=4)


def test_hls_segments_of_hdr_are_sdr(hdr: Callable[[str, float], Path], tmp_path: Path) -> None:
    source = hdr("pq", pq_signal(100))
    info = probe(source)
    assert info.video is not None
    timeline = Timeline(info.video.index, None, info.video.start_time, 0, 2.0, 1, 30.0)
    rendition = Rendition("h264", 320, 240, 2_000_000, 23, "ultrafast", "3.0", 0, "hable")
    producer = Producer(source, tmp_path / "v", timeline, rendition, 0)
    producer.start()
    producer.join(60)
    assert producer.error is None
    joined = tmp_path / "joined.mp4"
    joined.write_bytes((tmp_path / "v" / "init.mp4").read_bytes())
    with joined.open("ab") as fh:
        fh.write((tmp_path / "v" / "seg_0.m4s").read_bytes())
    assert tags(joined) == (1, 1, 1)
    assert mean_luma(joined) == pytest.approx(EXPECTED_100_NITS["hable"], abs=4)


def test_poster_of_hdr_is_tone_mapped(hdr: Callable[[str, float], Path]) -> None:
    source = hdr("pq", pq_signal(100))
    info = probe(source)
    mapped = pick_frame(source, info, 240, "hable").rgb
    plain = pick_frame(source, info, 240, "disabled").rgb
    assert float(mapped.mean()) == pytest.approx(0.436 * 255, abs=5)
    assert float(plain.mean()) > float(mapped.mean()) + 10  # untouched PQ reads lighter


def test_lut_file_is_made_once_and_matches_the_formulas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    tm = ToneMap("pq", "reinhard")
    first = lut_file(tm, size=9)
    stamp = first.stat().st_mtime_ns
    assert lut_file(tm, size=9) == first and first.stat().st_mtime_ns == stamp
    lines = first.read_text().splitlines()
    assert "LUT_3D_SIZE 9" in lines[:3] and len(lines) == 2 + 9**3
    assert lines[-1].split() == [f"{v:.6f}" for v in tonemap_rgb(np.ones((1, 3)), tm)[0]]
    assert cube_text(tm, 9) == first.read_text()
