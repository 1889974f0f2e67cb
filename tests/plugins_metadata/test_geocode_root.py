"""IMMICH_REVERSE_GEOCODING_ROOT: place names from Immich's own GeoNames files in a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from immich.app import create_app
from plugins.metadata import geocode
from tests.conftest import make_settings

# GeoNames columns: id, name, ascii name, alternate names, latitude, longitude, feature class,
# feature code, country, cc2, admin1, admin2, admin3, admin4, population, elevation, dem, zone, date
PLACES = [
    ("1", "Testville", "48.0", "11.0", "PPL", "DE", "02"),
    ("2", "Old Testville", "48.001", "11.001", "PPLH", "DE", "02"),  # historical: left out
    ("3", "Test Section", "48.002", "11.002", "PPLX", "DE", "02"),  # section of a place: out
    ("4", "Sydney Section", "-33.9", "151.2", "PPLX", "AU", "02"),  # ... except in Australia
]


def write_geodata(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        "\t".join(
            [
                gid,
                name,
                name,
                "",
                lat,
                lon,
                "P",
                code,
                cc,
                "",
                a1,
                "",
                "",
                "",
                "500",
                "",
                "1",
                "Europe/Berlin",
                "2024-01-01",
            ]
        )  # fmt: skip
        for gid, name, lat, lon, code, cc, a1 in PLACES
    ]
    (folder / "cities500.txt").write_text("\n".join(rows) + "\n")
    (folder / "admin1CodesASCII.txt").write_text(
        "DE.02\tBavaria\tBavaria\t2951839\nAU.02\tNew South Wales\tNew South Wales\t2155400\n"
    )
    return folder


@pytest.fixture
def geodata_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of GeoNames files; the process's bundled index is put back afterwards."""
    monkeypatch.setattr(geocode, "_index", geocode._index)
    monkeypatch.setattr(geocode, "_data_folder", geocode._data_folder)
    return write_geodata(tmp_path / "geodata")


def test_places_come_from_the_folder_filtered_as_immich_does(geodata_folder: Path) -> None:
    geocode.use_data_folder(geodata_folder)
    assert geocode.load_index().size == 2
    place = geocode.reverse_geocode(48.0005, 11.0005)
    assert place == geocode.Place(city="Testville", state="Bavaria", country="Germany")
    sydney = geocode.reverse_geocode(-33.9, 151.2)
    assert sydney == geocode.Place("Sydney Section", "New South Wales", "Australia")
    assert geocode.reverse_geocode(52.52, 13.40) is None  # Berlin is not in this folder


async def test_the_app_uses_the_folder_the_setting_names(
    geodata_folder: Path, db_url: str, media_dir: Path
) -> None:
    app: Any = create_app(
        make_settings(db_url, media_dir, IMMICH_REVERSE_GEOCODING_ROOT=str(geodata_folder))
    )
    assert app.state.ctx.settings.reverse_geocoding_root == geodata_folder
    async with app.router.lifespan_context(app):
        place = geocode.reverse_geocode(48.0, 11.0)
    assert place is not None and place.city == "Testville"
