"""Hashed names for our own web app's files, so browsers may cache them for a year.

There is no build step: at start-up (and again whenever a file changes) every file under the web
root's ``app/`` and ``vendor/`` is hashed, ``/app/<name>.<hash>.<ext>`` serves it with the
immutable cache header, and ``index.html`` gets an import map from each plain URL to its hashed
one. Import maps apply to resolved relative imports and to ``import()`` too, so the modules keep
writing ``import ... from './api.js'``. ``index.html`` itself stays ``no-store``.

A changed file gets a new hash; an old hashed URL then answers 404 instead of new content under a
name the browser would cache forever.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import attrs

HASHED_DIRS = ("app", "vendor")
IMPORT_MAP_MARKER = b"<!-- importmap -->"
HASH_LENGTH = 10
MODULES = (".js", ".mjs")
# The app's shell (every module under app/ outside its lazily imported screens) and the landing
# screen are preloaded, so the browser fetches them in parallel instead of one import level at
# a time; the other screens load when first opened.
PRELOADED = ("/app/", "/vendor/socket.io-client/", "/vendor/thumbhash/")
LAZY = ("/app/views/", "/app/viewer/")
LANDING = "/app/views/timeline.js"
# An unknown hashed name re-walks the folders at most this often (seconds): a client asking for
# made-up names must not make every request re-stat the whole app on the event loop.
MISS_REFRESH_S = 1.0


@attrs.frozen
class Entry:
    """One file: where it is, what it was when hashed, and its hashed URL."""

    path: Path
    key: tuple[int, int]
    url: str


def hashed_url(url: str, digest: str) -> str:
    """``/app/views/a.js`` -> ``/app/views/a.<digest>.js``."""
    head, dot, ext = url.rpartition(".")
    if not dot or "/" in ext:
        return f"{url}.{digest}"
    return f"{head}.{digest}.{ext}"


class Manifest:
    """Plain URL -> hashed URL for the files under ``HASHED_DIRS``; refreshed by stat."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.entries: dict[str, Entry] = {}
        self.by_hashed: dict[str, Entry] = {}
        self.generation = 0
        self.last_miss_refresh = -MISS_REFRESH_S
        self.refresh()

    def refresh(self) -> bool:
        """Re-stat every file (a few dozen: microseconds); re-hash the changed ones.
        Returns whether anything changed."""
        found: dict[str, Entry] = {}
        for folder in HASHED_DIRS:
            base = self.root / folder
            if not base.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or name.endswith((".br", ".gz")):
                        continue
                    path = Path(dirpath) / name
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    url = "/" + path.relative_to(self.root).as_posix()
                    key = (stat.st_mtime_ns, stat.st_size)
                    old = self.entries.get(url)
                    if old is not None and old.key == key:
                        found[url] = old
                        continue
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
                    found[url] = Entry(path, key, hashed_url(url, digest))
        changed = found != self.entries
        if changed:
            self.entries = found
            self.by_hashed = {e.url: e for e in found.values()}
            self.generation += 1
        return changed

    def lookup(self, hashed: str) -> Path | None:
        """The file behind a hashed URL of the current content, or None."""
        entry = self.by_hashed.get(hashed)
        now = time.monotonic()
        if entry is None and now - self.last_miss_refresh >= MISS_REFRESH_S:
            self.last_miss_refresh = now
            if self.refresh():
                entry = self.by_hashed.get(hashed)
        return entry.path if entry is not None else None

    def import_map(self) -> bytes:
        imports = {url: e.url for url, e in self.entries.items() if url.endswith(MODULES)}
        return json.dumps({"imports": imports}, separators=(",", ":")).encode()

    def render(self, index: bytes) -> bytes:
        """``index.html`` with the import map at its marker and its own ``/app/...`` references
        (the entry script, the stylesheet) pointing at the hashed names."""
        if not self.entries:
            return index
        body = index
        for url, entry in self.entries.items():
            for quote in (b'"', b"'"):
                body = body.replace(
                    quote + url.encode() + quote, quote + entry.url.encode() + quote
                )
        script = b'<script type="importmap">' + self.import_map() + b"</script>"
        preload = b"".join(
            b'<link rel="modulepreload" href="' + e.url.encode() + b'">'
            for url, e in self.entries.items()
            if url.endswith(MODULES)
            and (url == LANDING or (url.startswith(PRELOADED) and not url.startswith(LAZY)))
        )
        return body.replace(IMPORT_MAP_MARKER, script + preload, 1)
