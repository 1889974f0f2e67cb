"""ThumbHash: byte-identical to the npm reference, stable, and describing the image."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from immich.media.renditions import rgba_to_thumbhash
from immich.media.renditions._fdlibm import cos
from plugins.thumbnails import ImageConfig, generate

from ._samples import pattern, write


def gradient_with_alpha() -> np.ndarray:
    y, x = np.mgrid[0:50, 0:80]
    rgba = np.zeros((50, 80, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = x * 3, y * 5, 128
    rgba[..., 3] = np.clip(x * 4, 0, 255)
    return rgba


def test_matches_the_npm_reference() -> None:
    # expected bytes printed by thumbhash@0.1.1 (npm) `rgbaToThumbHash` for the same pixels
    opaque = np.dstack([pattern(100, 67), np.full((67, 100), 255, np.uint8)])
    assert rgba_to_thumbhash(100, 67, opaque.ravel()).hex() == (
        "df070e7d9e808a86c067878778a8867884aff8878c"
    )
    # with transparency: the `thash` package (float32, half-to-even rounding) gets
    # "...fb7570778788787888" here
    assert rgba_to_thumbhash(80, 50, gradient_with_alpha().ravel()).hex() == (
        "624886238e39b387a08878b3a038fb8570778788887888"
    )


@pytest.mark.parametrize(
    ("n", "c", "i", "expected"),
    [  # Math.cos(Math.PI / n * c * (i + 0.5)) in node; glibc's math.cos differs in the last bit
        (50, 4, 27, "0x1.9e3779b97f4a5p-1"),
        (35, 3, 6, "-0x1.6daf3cbd156a5p-3"),
        (69, 4, 14, "-0x1.c11e13fbe0edap-1"),
        (47, 4, 2, "0x1.91d1399b62b07p-1"),
        (98, 4, 44, "0x1.ad19e2535aa92p-1"),
        (93, 6, 88, "0x1.3965f49174d12p-1"),
    ],
)
def test_cos_is_javascripts(n: int, c: int, i: int, expected: str) -> None:
    assert cos(math.pi / n * c * (i + 0.5)) == float.fromhex(expected)


def test_cos_agrees_with_libm_within_an_ulp() -> None:
    for k in range(2000):
        x = -25.0 + k * 0.025
        assert abs(cos(x) - math.cos(x)) <= math.ulp(1.0)


def test_rejects_images_over_100px() -> None:
    with pytest.raises(ValueError, match="doesn't fit"):
        rgba_to_thumbhash(101, 10, np.zeros(101 * 10 * 4, np.uint8))


def test_stable_and_distinct_per_image(tmp_path: Path) -> None:
    a = write(tmp_path / "a.jpg", 800, 600)
    first = generate(a, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig()).thumbhash
    again = generate(a, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig()).thumbhash
    assert first == again
    b = write(tmp_path / "b.jpg", 600, 800)
    other = generate(b, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig()).thumbhash
    assert other != first
    # 5 header bytes + 4-bit factors: 7x5 luminance (landscape) triangle, 5 + 5 chroma
    assert 20 <= len(first) <= 25
    assert not first[2] & 0x80  # no alpha
    assert first[4] & 0x80  # landscape bit
    assert not other[4] & 0x80


def average_rgba(hashed: bytes) -> tuple[float, float, float, float]:
    """The reference's thumbHashToAverageRGBA."""
    header = hashed[0] | (hashed[1] << 8) | (hashed[2] << 16)
    lum = (header & 63) / 63
    p = ((header >> 6) & 63) / 31.5 - 1
    q = ((header >> 12) & 63) / 31.5 - 1
    alpha = (hashed[5] & 15) / 15 if header >> 23 else 1.0
    b = lum - 2 / 3 * p
    r = (3 * lum - b + q) / 2
    g = r - q
    return max(0.0, min(1.0, r)), max(0.0, min(1.0, g)), max(0.0, min(1.0, b)), alpha


def test_describes_the_average_colour(tmp_path: Path) -> None:
    from ._samples import vips_image

    src = tmp_path / "red.png"
    vips_image(np.full((300, 400, 3), (200, 30, 30), np.uint8)).pngsave(str(src))
    hashed = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig()).thumbhash
    r, g, b, a = average_rgba(hashed)
    assert abs(r - 200 / 255) < 0.05 and abs(g - 30 / 255) < 0.05 and abs(b - 30 / 255) < 0.05
    assert a == 1
