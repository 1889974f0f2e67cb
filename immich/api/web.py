"""The web app's serving contract, as Immich's server serves its SvelteKit build.

Immich (``app.common.ts``, ``ApiService.ssr``) puts ``sirv`` in front of its routes and an SSR
fallback behind them; Immich's own web app, built into ``IMMICH_WEB_ROOT``, relies on both:
- real files of the web root, with precompressed ``.br``/``.gz`` siblings when the client accepts
  them (``Content-Encoding``, ``Vary: Accept-Encoding``), ETags and HTTP ranges (Starlette's
  ``FileResponse``), and ``Cache-Control: public, max-age=31536000, immutable`` under
  ``/_app/immutable`` (SvelteKit's hashed output) and for our own files whose names carry a hash;
- every other GET/HEAD outside ``/api``, ``/.well-known/immich``, ``/custom.css`` and
  ``/favicon.ico`` answers ``index.html`` (``no-store``: it names the hashed files of the current
  build), so deep links and reloads work; a client that does not accept HTML gets Immich's 406;
- ``GET /custom.css``: the admin's ``theme.customCss``, read from the live config.

Mounted after the API routes, so neither the files nor the fallback ever shadow an API path.
With no ``index.html`` in the web root there is no web app: only ``/custom.css`` is added.
Our own web app (``web/``, the default root) has no build step: ``immich.api.web_assets`` hashes
its ``app/`` and ``vendor/`` files and puts an import map into ``index.html``.
Share pages (``/share/<key>``, ``/s/<slug>``) answer ``index.html`` with the link's Open Graph
tags at Immich's ``<!-- metadata:tags -->`` marker (Immich's ``ApiService.ssr``), or 404 (still
``index.html``: the web app shows its own error) for an unknown or expired link.
"""

from __future__ import annotations

import base64
import hashlib
import html
import mimetypes
import os
import re
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Receive, Scope, Send

from immich.api.errors import ApiError
from immich.api.web_assets import HASHED_DIRS, Manifest
from immich.db.repos import shared_links as shared_links_repo
from immich.services import auth as auth_service
from immich.services import shared_links as shared_links_service
from immich.settings import Settings

WEB_ROOT = Path(__file__).resolve().parent.parent.parent / "web"
EXCLUDED = ("/api", "/.well-known/immich", "/custom.css", "/favicon.ico")
# our own web app's code folders (immich.api.web_assets): no index.html fallback inside them
ASSET_FOLDERS = tuple(f"/{folder}/" for folder in HASHED_DIRS)
IMMUTABLE = "public, max-age=31536000, immutable"
# "app.3f9a2c1b.js", "chunk-0123abcd.css": a name that changes whenever the content does.
# Immich's share pages: /share/<key> and /s/<slug>.
SHARE_PAGE = re.compile(r"^/(share|s)/(.+)$")
HASHED_NAME = re.compile(r"[.-][0-9a-f]{8,}\.[A-Za-z0-9]+$")
# Python's table lacks or differs on some web types (3.11: no .webmanifest, .js as
# application/javascript); these are what browsers expect.
WEB_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
}
ENCODINGS = {".br": "br", ".gz": "gzip"}


def routes(settings: Settings) -> list[BaseRoute]:
    """``/custom.css`` always (Immich's is a controller route); the web app when there is one."""
    found: list[BaseRoute] = [Route("/custom.css", custom_css, methods=["GET"])]
    root = settings.web_root or WEB_ROOT
    if (root / "index.html").is_file():
        found.append(Mount("/", app=WebApp(root), name="web"))
    return found


async def custom_css(request: Request) -> Response:
    """Read from the config service, which reloads on every change (any replica's)."""
    config = request.app.state.ctx.config.get()
    css = str(config.get("theme", {}).get("customCss", ""))
    return _answer(request, css.encode(), {"Content-Type": "text/css; charset=utf-8"})


def _answer(request: Request, body: bytes, headers: dict[str, str], status: int = 200) -> Response:
    """A response whose HEAD form has the GET's headers and no body."""
    headers = {**headers, "Content-Length": str(len(body))}
    return Response(b"" if request.method == "HEAD" else body, status, headers)


def accepts_html(accept: str | None) -> bool:
    """Express's ``req.accepts('text/html')``: no header accepts anything; otherwise the most
    specific range that matches decides, and ``q=0`` (or an empty header) refuses."""
    if accept is None:
        return True
    best_rank, best_q = -1, 0.0
    for item in accept.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        kind, _, sub = media.lower().partition("/")
        rank = {("text", "html"): 2, ("text", "*"): 1, ("*", "*"): 0}.get((kind, sub))
        if rank is None:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
            elif value.strip() != "*":
                rank = None  # text/html;level=1 does not match plain text/html
                break
        if rank is not None and (rank, q) > (best_rank, best_q):
            best_rank, best_q = rank, q
    return best_q > 0


def _media_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    return WEB_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


class WebApp:
    """The web root's files, then ``index.html`` for everything else a browser may open.

    Look-ups are a few ``stat`` calls on the event loop (microseconds), through StaticFiles'
    own path check (nothing outside the root, symlinks included); ``index.html`` is read once
    per change.
    """

    def __init__(self, root: Path) -> None:
        self.files = StaticFiles(directory=root, check_dir=False)
        self.index_path = root / "index.html"
        self.manifest = Manifest(root)
        self._index: tuple[tuple[int, int, int], bytes, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        share = SHARE_PAGE.match(scope["path"]) if request.method in ("GET", "HEAD") else None
        if share is not None and accepts_html(request.headers.get("accept")):
            response = await self.share_page(request, share.group(1), share.group(2))
        else:
            response = self.respond(request)
        await response(scope, receive, send)

    async def share_page(self, request: Request, kind: str, secret: str) -> Response:
        """``index.html`` with the link's tags, or with status 404 for no live link."""
        ctx = request.app.state.ctx
        db = ctx.db.pool
        if kind == "share":
            row = await shared_links_repo.get_by_key(db, auth_service.share_key_bytes(secret))
        else:
            row = await shared_links_repo.get_by_slug(db, secret)
        body, _ = self._read_index()
        headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
        if not auth_service.is_live(row):
            return _answer(request, body, headers, 404)
        server = ctx.config.get().get("server", {})
        host = request.headers.get("host")
        default = f"{request.url.scheme}://{host}" if host else None
        tags = await shared_links_service.metadata_tags(
            db, row, str(server.get("externalDomain") or ""), default
        )
        if tags is not None:
            body = render_tags(body, tags.title, tags.description, tags.image_url)
        return _answer(request, body, headers)

    def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            raise HTTPException(404)
        path: str = request.scope["path"]
        found = self._file(request, path)
        if found is not None:
            return found
        if path.startswith(EXCLUDED) or path.startswith(ASSET_FOLDERS):
            raise HTTPException(404)  # a stale hashed module must fail, not load index.html
        accept = request.headers.get("accept")
        if not accepts_html(accept):
            raise ApiError(
                f"The route {path} was requested as {accept}, but only returns text/html", 406
            )
        return self._index_response(request)

    def _file(self, request: Request, path: str) -> Response | None:
        rel = path.strip("/")
        parts = rel.split("/")
        if not rel or (any(p.startswith(".") for p in parts) and parts[0] != ".well-known"):
            return None  # dotfiles stay private, as sirv's default
        if rel == "index.html":
            return self._index_response(request)
        if HASHED_NAME.search(parts[-1]) and parts[0] in HASHED_DIRS:
            hashed = self.manifest.lookup(path)
            if hashed is not None:
                return self._send(request, hashed, rel, {"Cache-Control": IMMUTABLE})
        accepted = request.headers.get("accept-encoding", "").lower()
        candidates = [rel]
        if "gzip" in accepted:
            candidates.insert(0, rel + ".gz")
        if "br" in accepted:
            candidates.insert(0, rel + ".br")
        for candidate in candidates:
            try:
                full, stat = self.files.lookup_path(candidate)
            except (OSError, ValueError):  # a NUL byte, a name too long: no such file
                continue
            if stat is None or not os.path.isfile(full):
                continue
            headers = {"Vary": "Accept-Encoding"}
            encoding = ENCODINGS.get(candidate[len(rel) :])
            if encoding:
                headers["Content-Encoding"] = encoding
            if path.startswith("/_app/immutable") or HASHED_NAME.search(parts[-1]):
                headers["Cache-Control"] = IMMUTABLE
            return self._send(request, Path(full), rel, headers, stat)
        return None

    def _send(
        self,
        request: Request,
        full: Path,
        rel: str,
        headers: dict[str, str],
        stat: os.stat_result | None = None,
    ) -> Response:
        response = FileResponse(
            full, headers=headers, media_type=_media_type(rel), stat_result=stat
        )
        if self.files.is_not_modified(response.headers, request.headers):
            return NotModifiedResponse(response.headers)
        return response

    def _index_response(self, request: Request) -> Response:
        body, tag = self._read_index()
        headers = {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "ETag": tag,
        }
        wanted = request.headers.get("if-none-match")
        if wanted and tag in (t.strip() for t in wanted.split(",")):
            return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-store"})
        return _answer(request, body, headers)

    def _read_index(self) -> tuple[bytes, str]:
        """``index.html``, re-read when it or a hashed file changes (a new build deployed under
        a running api, an edit during development)."""
        try:
            stat = self.index_path.stat()
        except OSError:
            return b"", _etag(b"")
        self.manifest.refresh()
        key = (stat.st_mtime_ns, stat.st_size, self.manifest.generation)
        if self._index is None or self._index[0] != key:
            body = self.manifest.render(self.index_path.read_bytes())
            self._index = (key, body, _etag(body))
        return self._index[1], self._index[2]


def render_tags(index: bytes, title: str, description: str, image_url: str) -> bytes:
    """Immich's ``render``: the tags, HTML-escaped, in place of the marker."""
    title, description, image_url = (html.escape(v) for v in (title, description, image_url))
    image = f'<meta property="og:image" content="{image_url}" />' if image_url else ""
    tags = f"""
    <meta name="description" content="{description}" />

    <!-- Facebook Meta Tags -->
    <meta property="og:type" content="website" />
    <meta property="og:title" content="{title}" />
    <meta property="og:description" content="{description}" />
    {image}"""
    return index.replace(b"<!-- metadata:tags -->", tags.encode(), 1)


def _etag(body: bytes) -> str:
    """A strong tag in Express's form: length, then a SHA-1 prefix."""
    digest = base64.b64encode(hashlib.sha1(body).digest()).decode()[:27]  # noqa: S324 - a tag
    return f'"{len(body):x}-{digest}"'
