"""HLS pieces without HTTP: variants and playlists, and the producer's fMP4 segments."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import av
import pytest

from plugins.video._playlists import (
    codec_string,
    level_for,
    main_playlist,
    media_playlist,
    segment_of,
    stream_facts,
)
from plugins.video._segmenter import Producer, Rendition, Timeline
from plugins.video.config import FFmpegConfig
from plugins.video.probe import probe

from .test_policy import VIDEO, media


def realtime(**values: object) -> FFmpegConfig:
    return FFmpegConfig.from_dict({"realtime": {"enabled": True, **values}})


def test_variants_follow_the_config_and_the_source() -> None:
    facts = stream_facts(
        media(), realtime(resolutions=[480, 720, 1080, 2160], videoCodecs=["h264", "hevc", "av1"])
    )
    assert facts is not None
    got = [(v.index, v.resolution, v.codec, v.width, v.height) for v in facts.variants]
    assert got == [
        (1, 480, "hevc", 852, 480),
        (2, 480, "h264", 852, 480),
        (4, 720, "hevc", 1280, 720),
        (5, 720, "h264", 1280, 720),
        (7, 1080, "hevc", 1920, 1080),
        (8, 1080, "h264", 1920, 1080),
    ]  # no 2160 for a 1080p source, no AV1 here
    small = stream_facts(media(width=320, height=240), realtime(resolutions=[480, 720]))
    assert small is not None
    assert [(v.resolution, v.width, v.height) for v in small.variants] == [(480, 320, 240)]


def test_segmentation_and_playlists() -> None:
    info = media(fps=29.97, frame_count=305)
    facts = stream_facts(info, realtime())
    assert facts is not None
    assert facts.segment_duration == pytest.approx(60 / 29.97)
    assert facts.segment_count == 6
    master = main_playlist("abc", facts)
    assert master.startswith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")
    assert 'CODECS="avc1.42c01f,mp4a.40.2"' in master  # 720p30 level 3.1, x264 ultrafast
    assert "RESOLUTION=1280x720" in master and "FRAME-RATE=29.970" in master
    assert "BANDWIDTH=6750000" in master
    assert "\nabc/5/playlist.m3u8\n" in master and "\nabc/8/playlist.m3u8\n" in master
    playlist = media_playlist(facts)
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    assert len(durations) == 6
    assert sum(durations) == pytest.approx(305 / 29.97, abs=1e-4)
    assert re.findall(r"seg_\d+\.m4s", playlist) == [f"seg_{i}.m4s" for i in range(6)]
    assert '#EXT-X-MAP:URI="init.mp4"' in playlist and playlist.endswith("#EXT-X-ENDLIST\n")
    assert (segment_of(facts, 0), segment_of(facts, 4.1), segment_of(facts, 99)) == (0, 2, 5)


def test_no_variant_or_no_video_means_no_stream() -> None:
    assert stream_facts(media(), realtime(videoCodecs=["av1"])) is None
    assert stream_facts(media(video=None), realtime()) is None


def test_video_without_audio_lists_no_audio_codec() -> None:
    facts = stream_facts(media(audio=None), realtime())
    assert facts is not None
    assert 'CODECS="avc1.42c01f"' in main_playlist("s", facts)
    high = stream_facts(media(audio=None), FFmpegConfig.from_dict({"preset": "veryfast"}))
    assert high is not None and 'CODECS="avc1.64001f"' in main_playlist("s", high)


@pytest.mark.parametrize(
    ("codec", "size", "fps", "level", "string"),
    [
        ("h264", (1280, 720), 30, "3.1", "avc1.64001f"),
        ("h264", (1920, 1080), 30, "4.0", "avc1.640028"),
        ("h264", (1920, 1080), 60, "4.2", "avc1.64002a"),
        ("h264", (3840, 2160), 30, "5.1", "avc1.640033"),
        ("hevc", (1920, 1080), 30, "4", "hvc1.1.6.L120.B0"),
        ("hevc", (1280, 720), 30, "3.1", "hvc1.1.6.L93.B0"),
    ],
)
def test_codec_levels(
    codec: str, size: tuple[int, int], fps: float, level: str, string: str
) -> None:
    assert level_for(codec, *size, fps) == level
    assert codec_string(codec, level, "medium") == string


def produce(source: Path, folder: Path, start: int, codec: str = "h264") -> Producer:
    info = probe(source)
    facts = stream_facts(info, realtime(videoCodecs=[codec], resolutions=[480]))
    assert facts is not None and info.video is not None
    v = facts.variants[0]
    timeline = Timeline(
        facts.video_index,
        facts.audio_index,
        facts.start_time,
        facts.rotation,
        facts.segment_duration,
        facts.segment_count,
        facts.fps,
    )
    rendition = Rendition(v.codec, v.width, v.height, v.bitrate, 23, "ultrafast", v.level)
    producer = Producer(source, folder, timeline, rendition, start)
    producer.start()
    producer.join(60)
    assert producer.error is None
    return producer


def play(folder: Path, first: int, last: int) -> tuple[list[av.VideoFrame], int]:
    """Decode init.mp4 + seg_first..seg_last as a player would: (video frames, audio samples)."""
    data = (folder / "init.mp4").read_bytes()
    data += b"".join((folder / f"seg_{i}.m4s").read_bytes() for i in range(first, last + 1))
    joined = folder / "joined.mp4"
    joined.write_bytes(data)
    with av.open(str(joined)) as c:
        frames = list(c.decode(video=0))
    with av.open(str(joined)) as c:
        samples = sum(f.samples for f in c.decode(audio=0))
    joined.unlink()
    return frames, samples


def test_producer_writes_every_segment_from_the_start(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = tmp_path / "s" / "2"
    produce(clip("long"), folder, 0)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["init.mp4", "seg_0.m4s", "seg_1.m4s", "seg_2.m4s", "seg_3.m4s"]
    frames, samples = play(folder, 0, 3)
    assert len(frames) == 210
    assert (frames[0].time, frames[0].width, frames[0].height) == (0.0, 320, 240)
    assert samples == pytest.approx(7 * 48000, rel=0.02)


def test_producer_started_later_continues_the_same_stream(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    a, b = tmp_path / "a" / "2", tmp_path / "b" / "2"
    produce(clip("long"), a, 0)
    produce(clip("long"), b, 2)
    assert sorted(p.name for p in b.iterdir()) == ["init.mp4", "seg_2.m4s", "seg_3.m4s"]
    assert (a / "init.mp4").read_bytes() == (b / "init.mp4").read_bytes()
    frames, _ = play(b, 2, 3)
    assert frames[0].time == pytest.approx(4.0)  # absolute timestamps: segment 2 starts at 4 s
    assert frames[0].key_frame
    # a segment from one producer follows a segment from another
    (b / "seg_1.m4s").write_bytes((a / "seg_1.m4s").read_bytes())
    frames, _ = play(b, 1, 3)
    assert len(frames) == 150
    assert [round(f.time * 30) for f in frames] == list(range(60, 210))


def test_hevc_segments_and_rotation(clip: Callable[[str], Path], tmp_path: Path) -> None:
    folder = tmp_path / "h" / "1"
    produce(clip("hevc_rotated"), folder, 0, codec="hevc")
    frames, _ = play(folder, 0, 0)
    assert len(frames) == 30
    assert (frames[0].width, frames[0].height) == (120, 160)  # upright
    with av.open(str(folder / "init.mp4")) as c:
        assert c.streams.video[0].codec_context.codec_tag == "hvc1"


def test_a_stopped_producer_leaves_no_partial_segment(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    source = clip("long")
    info = probe(source)
    facts = stream_facts(info, realtime(resolutions=[480]))
    assert facts is not None
    v = facts.variants[0]
    timeline = Timeline(
        facts.video_index,
        facts.audio_index,
        0.0,
        0,
        facts.segment_duration,
        facts.segment_count,
        facts.fps,
    )
    rendition = Rendition(v.codec, v.width, v.height, v.bitrate, 23, "ultrafast", v.level)
    folder = tmp_path / "stop" / "2"
    producer = Producer(
        source, folder, timeline, rendition, 0, on_segment=lambda i: producer.stop()
    )
    producer.start()
    producer.join(30)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["init.mp4", "seg_0.m4s"]  # stopped after the first: the second not written
    frames, _ = play(folder, 0, 0)
    assert len(frames) == 60


def test_producer_waits_when_far_ahead(
    clip: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import plugins.video._segmenter as seg

    monkeypatch.setattr(seg, "AHEAD_PAUSE", 1)
    monkeypatch.setattr(seg, "AHEAD_RESUME", 0)
    source = clip("long")
    facts = stream_facts(probe(source), realtime(resolutions=[480]))
    assert facts is not None
    v = facts.variants[0]
    timeline = Timeline(
        facts.video_index,
        facts.audio_index,
        0.0,
        0,
        facts.segment_duration,
        facts.segment_count,
        facts.fps,
    )
    rendition = Rendition(v.codec, v.width, v.height, v.bitrate, 23, "ultrafast", v.level)
    producer = Producer(source, tmp_path / "w" / "2", timeline, rendition, 0)
    producer.start()
    producer.join(3)
    assert producer.is_alive() and producer.next_index == 3  # paused after segment 2
    assert not (tmp_path / "w" / "2" / "seg_3.m4s").exists()
    producer.requested(3)
    producer.join(30)
    assert not producer.is_alive() and producer.next_index == 4


def test_timeline_dataclass_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        VIDEO.width = 1  # type: ignore[misc]
