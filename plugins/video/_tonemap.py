"""HDR -> SDR tone mapping without zscale: the colour maths in numpy, baked into a 3D LUT.

What Immich asks of jellyfin-ffmpeg's ``tonemapx`` (``tonemap=<algo>:desat=0:p=bt709:t=bt709:
m=bt709:peak=100``), done here as: non-linear BT.2020 R'G'B' (PQ or HLG) -> linear light, where
1.0 is the reference white of 203 cd/m² -> the brightest channel mapped by ``hable``,
``mobius`` (j = 0.3) or ``reinhard`` (param 1.0), all channels scaled by the same ratio (no
desaturation) -> BT.2020 to BT.709 primaries -> clipped to [0, 1] -> BT.1886 inverse (gamma
2.4), tagged BT.709. The signal peak is Immich's 100 (reference whites) for PQ; HLG is taken
to a 1000 cd/m² display (its nominal peak, per-channel OOTF gamma 1.2), so its peak is
1000/203 and an HLG and a PQ grey of the same brightness come out alike. BT.2020 video with
an SDR transfer is only moved to BT.709 primaries. Output range is limited (``tv``), the
broadcast default every player reads; Immich writes full range.

The same function maps pixels (poster frames, ``tonemap_rgb``) and a 65³ grid written once
per (transfer, algorithm) as a ``.cube`` file in the cache folder (``lut_file``), which
libavfilter's ``lut3d`` applies with tetrahedral interpolation inside a frame graph.
"""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

ALGORITHMS = ("hable", "mobius", "reinhard")
REFERENCE_WHITE = 203.0  # cd/m² that linear 1.0 stands for (tonemapx)
PQ_PEAK = 100.0  # Immich's peak=100, in reference whites
HLG_DISPLAY_PEAK = 1000.0  # cd/m² of the display HLG is shown on
LUT_SIZE = 65
LUT_VERSION = 1  # part of the cache file's name: bump when the maths changes

# AVColorTransferCharacteristic / AVColorPrimaries values (libavutil/pixfmt.h)
TRC_BT709, TRC_SMPTE2084, TRC_ARIB_STD_B67 = 1, 16, 18
PRI_BT709, PRI_BT2020 = 1, 9
SPC_BT709 = 1
RANGE_MPEG = 1
TRANSFERS = {TRC_SMPTE2084: "pq", TRC_ARIB_STD_B67: "hlg"}

# BT.2020 -> BT.709 linear RGB (both D65), rows = output channels
BT2020_TO_BT709 = np.array(
    [
        [1.660491, -0.587641, -0.072850],
        [-0.124550, 1.132900, -0.008349],
        [-0.018151, -0.100579, 1.118730],
    ]
)

_M1, _M2 = 0.1593017578125, 78.84375
_C1, _C2, _C3 = 0.8359375, 18.8515625, 18.6875
_HLG_A, _HLG_B, _HLG_C = 0.17883277, 0.28466892, 0.55991073


@dataclass(frozen=True, slots=True)
class ToneMap:
    """What to do to one video: its transfer (``pq``, ``hlg`` or ``sdr`` for BT.2020 SDR)
    and Immich's algorithm name."""

    transfer: str
    algorithm: str


def plan(algorithm: str, color_trc: Any, color_primaries: Any) -> ToneMap | None:
    """The tone mapping a stream (or frame) with these colour tags needs under
    ``ffmpeg.tonemap``; None when it is SDR BT.709 or tone mapping is disabled."""
    if algorithm not in ALGORITHMS:
        return None
    transfer = TRANSFERS.get(_int(color_trc))
    if transfer is None and _int(color_primaries) == PRI_BT2020:
        transfer = "sdr"
    return ToneMap(transfer, algorithm) if transfer else None


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def tag_encoder(ctx: Any, source: Any, tone_mapped: bool) -> None:
    """Colour tags of an encoder: BT.709 after tone mapping, else the source's own (as ffmpeg
    keeps them)."""
    if tone_mapped:
        ctx.color_primaries, ctx.color_trc = PRI_BT709, TRC_BT709
        ctx.colorspace, ctx.color_range = SPC_BT709, RANGE_MPEG
        return
    for name in ("color_primaries", "color_trc", "colorspace", "color_range"):
        setattr(ctx, name, getattr(source, name))


# --- the maths ------------------------------------------------------------------------------


def linearize(signal: Array, transfer: str) -> tuple[Array, float]:
    """Non-linear R'G'B' in [0, 1] -> linear light (1.0 = reference white) and the peak."""
    x = np.clip(signal, 0.0, 1.0)
    if transfer == "pq":
        p = np.power(x, 1.0 / _M2)
        ratio = np.maximum(p - _C1, 0.0) / np.maximum(_C2 - _C3 * p, 1e-12)
        return np.power(ratio, 1.0 / _M1) * (10000.0 / REFERENCE_WHITE), PQ_PEAK
    if transfer == "hlg":
        with np.errstate(over="ignore"):
            scene = np.where(x <= 0.5, x * x / 3.0, (np.exp((x - _HLG_C) / _HLG_A) + _HLG_B) / 12.0)
        scale = HLG_DISPLAY_PEAK / REFERENCE_WHITE
        return np.power(scene, 1.2) * scale, scale
    return np.power(x, 2.4), 1.0  # BT.2020 SDR (BT.1886 display)


def tone_curve(sig: Array, algorithm: str, peak: float) -> Array:
    """The tone curve of ffmpeg's tonemap filters on the brightest channel's linear value."""
    if peak <= 1.0:
        return np.minimum(sig, 1.0)
    if algorithm == "hable":
        return np.asarray(_hable(sig) / _hable(np.float64(peak)), dtype=np.float64)
    if algorithm == "reinhard":
        param = 1.0
        return sig / (sig + param) * (peak + param) / peak
    if algorithm == "mobius":
        j = 0.3
        a = -j * j * (peak - 1.0) / (j * j - 2.0 * j + peak)
        b = (j * j - 2.0 * j * peak + peak) / max(peak - 1.0, 1e-12)
        curve = (b * b + 2.0 * b * j + j * j) / (b - a) * (sig + a) / (sig + b)
        return np.where(sig <= j, sig, curve)
    raise ValueError(f"unknown tone mapping {algorithm!r}")


def _hable(x: Any) -> Any:
    a, b, c, d, e, f = 0.15, 0.50, 0.10, 0.20, 0.02, 0.30
    return (x * (x * a + b * c) + d * e) / (x * (x * a + b) + d * f) - e / f


def tonemap_rgb(rgb: Array, tm: ToneMap) -> Array:
    """Non-linear BT.2020 R'G'B' (..., 3) in [0, 1] -> BT.709 R'G'B' (gamma 2.4) in [0, 1]."""
    lin, peak = linearize(rgb, tm.transfer)
    sig = np.maximum(lin.max(axis=-1, keepdims=True), 1e-9)
    lin = lin * (tone_curve(sig, tm.algorithm, peak) / sig)
    out = np.clip(lin @ BT2020_TO_BT709.T, 0.0, 1.0)
    return np.asarray(np.power(out, 1.0 / 2.4), dtype=np.float64)


def tonemap_rgb48(pixels: npt.NDArray[np.uint16], tm: ToneMap) -> npt.NDArray[np.uint8]:
    """An rgb48 image (H x W x 3, BT.2020 R'G'B') -> rgb24 BT.709, for posters."""
    out = tonemap_rgb(pixels.astype(np.float64) / 65535.0, tm)
    return np.asarray(np.rint(out * 255.0), dtype=np.uint8)


# --- the LUT file ---------------------------------------------------------------------------

_lock = threading.Lock()


def cache_dir() -> Path:
    """Where LUTs are cached: ``immich-luts`` in the temp folder (``TMPDIR``)."""
    return Path(tempfile.gettempdir()) / "immich-luts"


def lut_file(tm: ToneMap, size: int = LUT_SIZE) -> Path:
    """The ``.cube`` file for ``tm`` (written on first use, then reused)."""
    path = cache_dir() / f"{tm.transfer}-{tm.algorithm}-{size}-v{LUT_VERSION}.cube"
    if path.exists():
        return path
    with _lock:
        if path.exists():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        try:
            temp.write_text(cube_text(tm, size), encoding="ascii")
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
    return path


def cube_text(tm: ToneMap, size: int) -> str:
    """The LUT as an Adobe/Resolve ``.cube`` text: red changes fastest."""
    axis = np.linspace(0.0, 1.0, size)
    b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")
    grid = np.stack([r.ravel(), g.ravel(), b.ravel()], axis=-1)
    table = tonemap_rgb(grid, tm)
    head = f'TITLE "immich {tm.transfer} {tm.algorithm}"\nLUT_3D_SIZE {size}\n'
    rows = "\n".join(f"{x:.6f} {y:.6f} {z:.6f}" for x, y, z in table.tolist())
    return head + rows + "\n"
