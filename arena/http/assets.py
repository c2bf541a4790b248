"""Static files for phones on rural signal: compressed once, cacheable by version.

Every file under web/static (and plotly.min.js from the installed plotly package, never a CDN) is
served with a strong ETag (a digest of its content). Pages link files through `asset_url`, which
appends that digest as `?v=`: such a request may be cached for a year (`immutable`), because a
changed file gets a new address. A request without the current version revalidates (`no-cache`,
then `304 Not Modified`).

Text files travel compressed: brotli where the browser accepts it (browsers offer it over HTTPS
and on localhost), gzip otherwise. The compressed bytes are made once per file version and kept in
memory; brotli at its best setting takes ~10 s for plotly.min.js, so large files are compressed
in the background when the server starts and kept in `data_dir/cache/static` across restarts
(plotly.min.js: 4.8 MB plain, 1.5 MB gzip, 1.1 MB brotli); until then they go out as gzip.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import anyio
import brotli
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arena.settings import ROOT

STATIC = ROOT / "web" / "static"


log = logging.getLogger("arena.assets")


def plotly_js_path() -> Path:
    """plotly.min.js as the installed plotly package ships it (never a CDN)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".html", ".txt", ".webmanifest")
# Files up to this size get brotli at once; larger ones in the background (see `warm`).
BROTLI_AT_ONCE = 256 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@dataclass(frozen=True)
class Asset:
    """One file's bytes in the forms it is served, for one version of its content."""

    stamp: tuple[int, int]  # (size, mtime_ns) of the file these bytes were read from
    version: str  # the first 12 hex digits of the content's SHA-256
    media_type: str
    plain: bytes
    gzipped: bytes | None
    brotli: bytes | None


class AssetStore:
    """Reads, digests and compresses each static file once per change on disk."""

    def __init__(self) -> None:
        self._assets: dict[Path, Asset] = {}
        self.cache_dir: Path | None = None

    def _cached_brotli(self, version: str) -> Path | None:
        return self.cache_dir / f"{version}.br" if self.cache_dir else None

    def resolve(self, path: str) -> Path | None:
        """The file behind a URL path under /static/, or None (never outside the folder)."""
        if path == "vendor/plotly.min.js":
            return plotly_js_path()
        root = STATIC.resolve()
        target = (root / path).resolve()
        if root not in target.parents or not target.is_file():
            return None
        return target

    def load(self, file: Path) -> Asset:
        """The file's current asset (re-read when the file changed)."""
        stat = file.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        known = self._assets.get(file)
        if known is not None and known.stamp == stamp:
            return known
        plain = file.read_bytes()
        media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix == ".js":
            media_type = "text/javascript"
        version = hashlib.sha256(plain).hexdigest()[:12]
        gzipped = squeezed = None
        if file.suffix in COMPRESSIBLE and len(plain) > 1024:
            gzipped = gzip.compress(plain, compresslevel=9, mtime=0)
            cached = self._cached_brotli(version)
            if cached is not None and cached.is_file():
                squeezed = cached.read_bytes()
            elif len(plain) <= BROTLI_AT_ONCE:
                squeezed = brotli.compress(plain, quality=11)
        asset = Asset(stamp, version, media_type, plain, gzipped, squeezed)
        self._assets[file] = asset
        return asset

    def warm(self, files: list[Path] | None = None) -> None:
        """Compress the large files with brotli into the cache directory (run in a thread)."""
        if self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        for file in files if files is not None else [plotly_js_path(), *STATIC.rglob("*")]:
            if not file.is_file() or file.suffix not in COMPRESSIBLE:
                continue
            asset = self.load(file)
            if asset.brotli is not None or asset.gzipped is None:
                continue
            target = self.cache_dir / f"{asset.version}.br"
            partial = target.with_suffix(".part")
            partial.write_bytes(brotli.compress(asset.plain, quality=11))
            partial.replace(target)
            self._assets.pop(file, None)  # the next request reads the cached brotli


store = AssetStore()


def version_of(path: str) -> str:
    """The content version of a static file (for `asset_url`); empty when there is no such file."""
    file = store.resolve(path)
    return store.load(file).version if file else ""


def asset_url(path: str) -> str:
    """The address of a static file with its content version: cacheable until the file changes."""
    version = version_of(path)
    return f"/static/{path}?v={version}" if version else f"/static/{path}"


async def serve(request: Request) -> Response:
    path = request.path_params["path"]
    file = store.resolve(path)
    if file is None:
        return Response("找不到该文件", status_code=404, media_type="text/plain; charset=utf-8")
    asset = await anyio.to_thread.run_sync(store.load, file)
    etag = f'"{asset.version}"'
    cache = IMMUTABLE if request.query_params.get("v") == asset.version else REVALIDATE
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    media_type = asset.media_type
    if media_type.startswith("text/") or media_type.endswith(("javascript", "json", "+xml")):
        media_type += "; charset=utf-8"
    accepts = request.headers.get("accept-encoding", "")
    if asset.brotli is not None and "br" in accepts:
        headers["Content-Encoding"] = "br"
        body = asset.brotli
    elif asset.gzipped is not None and "gzip" in accepts:
        headers["Content-Encoding"] = "gzip"
        body = asset.gzipped
    else:
        body = asset.plain
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=media_type)
    return Response(body, headers=headers, media_type=media_type)


async def warm_in_background(cache_dir: Path) -> None:
    """Start compressing the large static files (the server answers meanwhile, with gzip)."""
    store.cache_dir = cache_dir
    try:
        await anyio.to_thread.run_sync(store.warm, abandon_on_cancel=True)
    except OSError as exc:  # a read-only or full disk: files still go out with gzip
        log.warning("static files not precompressed: %s", exc)


routes = [Route("/static/{path:path}", serve, methods=["GET", "HEAD"])]
