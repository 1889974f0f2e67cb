"""Immich's system config section ``image.*`` as typed, validated values.

Build it from the plain dict the system config holds: ``ImageConfig.from_dict(config["image"])``.
Missing keys take Immich's defaults; bad values raise ``ValueError`` naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

ImageFormat = Literal["jpeg", "webp"]
Colorspace = Literal["srgb", "p3"]

# sharp's default limitInputPixels (0x3FFF * 0x3FFF). Immich itself passes `false` (no limit);
# we keep a limit so a file that declares huge dimensions is refused before it is decoded.
DEFAULT_LIMIT_INPUT_PIXELS = 268_402_689

_FORMATS: tuple[str, ...] = ("jpeg", "webp")
_COLORSPACES: tuple[str, ...] = ("srgb", "p3")


@dataclass(frozen=True, slots=True)
class GeneratedImageConfig:
    """``image.preview`` / ``image.thumbnail``: size is the target of the SHORTER side."""

    format: ImageFormat
    size: int
    quality: int = 80
    progressive: bool = False


@dataclass(frozen=True, slots=True)
class FullsizeImageConfig:
    """``image.fullsize``: a full-resolution copy for formats browsers cannot show."""

    enabled: bool = False
    format: ImageFormat = "jpeg"
    quality: int = 80
    progressive: bool = False


@dataclass(frozen=True, slots=True)
class ImageConfig:
    preview: GeneratedImageConfig = field(
        default_factory=lambda: GeneratedImageConfig(format="jpeg", size=1440)
    )
    thumbnail: GeneratedImageConfig = field(
        default_factory=lambda: GeneratedImageConfig(format="webp", size=250)
    )
    colorspace: Colorspace = "p3"
    extract_embedded: bool = False
    fullsize: FullsizeImageConfig = field(default_factory=FullsizeImageConfig)
    # Not an Immich setting: files declaring more pixels than this are refused undecoded.
    limit_input_pixels: int = DEFAULT_LIMIT_INPUT_PIXELS

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any] | None,
        *,
        limit_input_pixels: int = DEFAULT_LIMIT_INPUT_PIXELS,
    ) -> ImageConfig:
        """Build from the system config's ``image`` section (Immich's camelCase keys)."""
        data = data or {}
        preview = _section(data, "preview")
        thumbnail = _section(data, "thumbnail")
        fullsize = _section(data, "fullsize")
        if limit_input_pixels < 1:
            raise ValueError("limit_input_pixels must be at least 1")
        return cls(
            preview=GeneratedImageConfig(
                format=_format(preview, "preview", "jpeg"),
                size=_int(preview, "preview.size", "size", 1440, 1, None),
                quality=_int(preview, "preview.quality", "quality", 80, 1, 100),
                progressive=_bool(preview, "preview.progressive", "progressive", False),
            ),
            thumbnail=GeneratedImageConfig(
                format=_format(thumbnail, "thumbnail", "webp"),
                size=_int(thumbnail, "thumbnail.size", "size", 250, 1, None),
                quality=_int(thumbnail, "thumbnail.quality", "quality", 80, 1, 100),
                progressive=_bool(thumbnail, "thumbnail.progressive", "progressive", False),
            ),
            colorspace=cast(
                Colorspace, _choice(data, "colorspace", "colorspace", "p3", _COLORSPACES)
            ),
            extract_embedded=_bool(data, "extractEmbedded", "extractEmbedded", False),
            fullsize=FullsizeImageConfig(
                enabled=_bool(fullsize, "fullsize.enabled", "enabled", False),
                format=_format(fullsize, "fullsize", "jpeg"),
                quality=_int(fullsize, "fullsize.quality", "quality", 80, 1, 100),
                progressive=_bool(fullsize, "fullsize.progressive", "progressive", False),
            ),
            limit_input_pixels=limit_input_pixels,
        )


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"image.{key} must be an object")
    return value


def _format(data: Mapping[str, Any], where: str, default: str) -> ImageFormat:
    return cast(ImageFormat, _choice(data, f"{where}.format", "format", default, _FORMATS))


def _choice(
    data: Mapping[str, Any], path: str, key: str, default: str, allowed: tuple[str, ...]
) -> str:
    value = data.get(key, default)
    if value not in allowed:
        raise ValueError(f"image.{path} must be one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def _int(
    data: Mapping[str, Any], path: str, key: str, default: int, low: int, high: int | None
) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"image.{path} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"image.{path} must be {bound}, got {value}")
    return value


def _bool(data: Mapping[str, Any], path: str, key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"image.{path} must be a boolean, got {value!r}")
    return value
