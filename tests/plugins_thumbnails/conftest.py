from __future__ import annotations

from pathlib import Path

import pytest
import pyvips

from ._samples import ASSETS


@pytest.fixture
def assets() -> Path:
    """The shared Immich test photos; tests using them skip when the folder is absent."""
    if not ASSETS.is_dir():
        pytest.skip(f"shared test photos not found: {ASSETS}")
    return ASSETS


def open_output(path: Path) -> pyvips.Image:
    """Open a generated file fully (a truncated file fails here)."""
    image = pyvips.Image.new_from_file(str(path), fail_on="error")
    image.avg()
    return image


def loader(image: pyvips.Image) -> str:
    return str(image.get("vips-loader"))


def pixel(image: pyvips.Image, x: int, y: int) -> list[float]:
    return [float(v) for v in image(x, y)][:3]


def close(a: list[float], b: tuple[int, int, int], tolerance: float = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))
