"""Files that cannot be thumbnailed fail with the reason, quickly, and leave no output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from immich.media.renditions import write_atomically
from plugins.thumbnails import ImageConfig, ThumbnailError, generate

from ._samples import jxl_bomb, png_bomb, write


def run(src: Path, out: Path, cfg: ImageConfig | None = None) -> None:
    generate(src, out / "p.jpeg", out / "t.webp", cfg or ImageConfig())


def outputs(out: Path) -> list[str]:
    """Everything in the output folder, temporary files included."""
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def test_truncated_jpeg_fails_with_reason_and_no_files(tmp_path: Path, out: Path) -> None:
    whole = write(tmp_path / "whole.jpg", 2000, 1500).read_bytes()
    src = tmp_path / "cut.jpg"
    src.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ThumbnailError, match=r"cannot decode: .*(premature|truncated|end)") as err:
        run(src, out)
    assert "jpeg" in str(err.value).lower()
    assert outputs(out) == []


def test_truncated_shared_jpeg(assets: Path, tmp_path: Path, out: Path) -> None:
    data = (assets / "albums" / "text" / "craft-beer.jpg").read_bytes()
    src = tmp_path / "craft-beer.jpg"
    src.write_bytes(data[: len(data) // 3])
    with pytest.raises(ThumbnailError, match="cannot decode"):
        run(src, out)
    assert outputs(out) == []


def test_failure_leaves_existing_outputs_untouched(tmp_path: Path, out: Path) -> None:
    out.mkdir()
    (out / "p.jpeg").write_bytes(b"old preview")
    (out / "t.webp").write_bytes(b"old thumb")
    src = tmp_path / "bad.jpg"
    src.write_bytes(write(tmp_path / "w.jpg").read_bytes()[:500])
    with pytest.raises(ThumbnailError):
        run(src, out)
    assert (out / "p.jpeg").read_bytes() == b"old preview"
    assert (out / "t.webp").read_bytes() == b"old thumb"
    assert outputs(out) == ["p.jpeg", "t.webp"]


def test_zero_byte_file(tmp_path: Path, out: Path) -> None:
    src = tmp_path / "empty.jpg"
    src.write_bytes(b"")
    with pytest.raises(ThumbnailError, match="empty file"):
        run(src, out)
    assert outputs(out) == []


def test_missing_file(tmp_path: Path, out: Path) -> None:
    with pytest.raises(ThumbnailError, match="cannot read nope.jpg"):
        run(tmp_path / "nope.jpg", out)


def test_not_an_image(tmp_path: Path, out: Path) -> None:
    src = tmp_path / "notes.jpg"
    src.write_text("just some text, not a picture\n" * 20)
    with pytest.raises(ThumbnailError, match="cannot decode: .*not in a known format"):
        run(src, out)
    assert outputs(out) == []


@pytest.mark.parametrize("name", ["bad.heic", "bad.jxl", "bad.avif"])
def test_corrupt_heif_jxl_avif(tmp_path: Path, out: Path, name: str) -> None:
    whole = write(tmp_path / f"whole{Path(name).suffix}", 800, 600).read_bytes()
    src = tmp_path / name
    src.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ThumbnailError, match="cannot decode"):
        run(src, out)
    assert outputs(out) == []


@pytest.mark.parametrize("maker", [png_bomb, jxl_bomb], ids=["png", "jxl"])
def test_decompression_bomb_is_refused_before_decoding(
    tmp_path: Path, out: Path, maker: object
) -> None:
    suffix = ".png" if maker is png_bomb else ".jxl"
    src = maker(tmp_path / f"bomb{suffix}")  # type: ignore[operator]
    assert src.stat().st_size < 1000
    started = time.perf_counter()
    with pytest.raises(ThumbnailError, match=r"100000x100000 .* over the limit of 268402689"):
        run(src, out)
    assert time.perf_counter() - started < 1.0  # decoding 10^10 pixels would take minutes
    assert outputs(out) == []


@pytest.mark.parametrize("ext", ["jpg", "png", "heic", "jxl", "avif"])
def test_pixel_limit_is_configurable(tmp_path: Path, out: Path, ext: str) -> None:
    src = write(tmp_path / f"s.{ext}", 400, 300)
    with pytest.raises(ThumbnailError, match=r"400x300 is 120000 pixels, over the limit"):
        run(src, out, ImageConfig.from_dict({}, limit_input_pixels=100_000))
    run(src, out, ImageConfig.from_dict({}, limit_input_pixels=120_000))  # exactly at the limit
    assert outputs(out) == ["p.jpeg", "t.webp"]


def test_atomic_write_cleans_up_when_a_write_fails(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder is needed")
    files = [(tmp_path / "a.jpg", b"one"), (tmp_path / "blocker" / "b.jpg", b"two")]
    with pytest.raises(OSError):
        write_atomically(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "x.webp"
    target.write_bytes(b"old")
    write_atomically([(target, b"new contents")])
    assert target.read_bytes() == b"new contents"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["x.webp"]
