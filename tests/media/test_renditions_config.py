"""``image.*`` of the system config as ``ImageConfig``: Immich's defaults, validation by key."""

from __future__ import annotations

import pytest

from immich.media.renditions import DEFAULT_LIMIT_INPUT_PIXELS, ImageConfig


def test_defaults_are_immichs() -> None:
    for cfg in (ImageConfig(), ImageConfig.from_dict({}), ImageConfig.from_dict(None)):
        assert (cfg.preview.format, cfg.preview.size, cfg.preview.quality) == ("jpeg", 1440, 80)
        assert (cfg.thumbnail.format, cfg.thumbnail.size, cfg.thumbnail.quality) == (
            "webp",
            250,
            80,
        )
        assert not cfg.preview.progressive and not cfg.thumbnail.progressive
        assert cfg.colorspace == "p3" and cfg.extract_embedded is False
        assert (cfg.fullsize.enabled, cfg.fullsize.format, cfg.fullsize.quality) == (
            False,
            "jpeg",
            80,
        )
        assert cfg.limit_input_pixels == DEFAULT_LIMIT_INPUT_PIXELS == 268_402_689


def test_from_system_config_section() -> None:
    cfg = ImageConfig.from_dict(
        {
            "thumbnail": {"format": "jpeg", "size": 300, "quality": 70, "progressive": True},
            "preview": {"format": "webp", "size": 1080, "quality": 90, "progressive": False},
            "colorspace": "srgb",
            "extractEmbedded": True,
            "fullsize": {"enabled": True, "format": "webp", "quality": 85},
        },
        limit_input_pixels=1000,
    )
    assert cfg.thumbnail.format == "jpeg" and cfg.thumbnail.size == 300
    assert cfg.thumbnail.quality == 70 and cfg.thumbnail.progressive
    assert (cfg.preview.format, cfg.preview.size, cfg.preview.quality) == ("webp", 1080, 90)
    assert cfg.colorspace == "srgb" and cfg.extract_embedded
    assert (cfg.fullsize.enabled, cfg.fullsize.format, cfg.fullsize.quality) == (True, "webp", 85)
    assert cfg.limit_input_pixels == 1000


def test_partial_section_keeps_other_defaults() -> None:
    cfg = ImageConfig.from_dict({"preview": {"size": 720}})
    assert cfg.preview.size == 720 and cfg.preview.format == "jpeg" and cfg.preview.quality == 80
    assert cfg.thumbnail.size == 250


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"preview": {"format": "png"}}, "image.preview.format must be one of jpeg, webp"),
        ({"thumbnail": {"size": 0}}, "image.thumbnail.size must be at least 1"),
        ({"thumbnail": {"quality": 101}}, "image.thumbnail.quality must be between 1 and 100"),
        ({"preview": {"quality": "80"}}, "image.preview.quality must be an integer"),
        ({"preview": {"size": True}}, "image.preview.size must be an integer"),
        ({"colorspace": "adobe"}, "image.colorspace must be one of srgb, p3"),
        ({"extractEmbedded": "yes"}, "image.extractEmbedded must be a boolean"),
        ({"fullsize": []}, "image.fullsize must be an object"),
    ],
)
def test_invalid_values_name_the_key(section: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ImageConfig.from_dict(section)


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="limit_input_pixels"):
        ImageConfig.from_dict({}, limit_input_pixels=0)
