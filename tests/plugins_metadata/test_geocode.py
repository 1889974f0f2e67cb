"""Reverse geocoding: nearest GeoNames place within 25 km, Immich's country names."""

from __future__ import annotations

import math

import pytest

from plugins.metadata import Place, reverse_geocode
from plugins.metadata._countries import COUNTRY_NAMES


def test_city_state_country() -> None:
    assert reverse_geocode(39.115, -108.400968) == Place(
        "Palisade", "Colorado", "United States of America"
    )
    paris = reverse_geocode(48.8566, 2.3522)
    assert paris is not None and paris.country == "France" and paris.state == "Île-de-France"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(40.0, -30.0), (0.0, 0.0), (-60.0, -150.0), (math.nan, 1.0), (91.0, 0.0), (10.0, 181.0)],
)
def test_no_place(lat: float, lon: float) -> None:
    # mid-Atlantic, the (0, 0) "no fix", the Southern Ocean, and invalid input
    assert reverse_geocode(lat, lon) is None


def test_maximum_distance() -> None:
    # Palisade is about 3 km from this point; a 1 km limit finds nothing
    assert reverse_geocode(39.14, -108.38, max_distance_m=50_000) is not None
    assert reverse_geocode(39.14, -108.38, max_distance_m=10) is None


def test_distance_wraps_the_antimeridian() -> None:
    # Egvekinot (Chukotka) is at 179.12 W; a point at 179.95 E is about 40 km from it across
    # the 180th meridian (in raw degrees it would be 359 degrees away)
    place = reverse_geocode(66.32, 179.95, max_distance_m=60_000)
    assert place == Place("Egvekinot", "Chukotka", "Russian Federation")


def test_country_names_are_immichs() -> None:
    assert COUNTRY_NAMES["US"] == "United States of America"
    assert COUNTRY_NAMES["GB"] == "United Kingdom"
    assert COUNTRY_NAMES["RU"] == "Russian Federation"
    assert len(COUNTRY_NAMES) >= 249
