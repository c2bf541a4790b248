"""Static files: compressed, versioned, revalidated, never outside web/static."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import httpx

from arena.http.assets import STATIC, AssetStore, plotly_js_path
from tests.conftest import Server


def version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


async def test_plotly_goes_out_gzip_compressed_with_its_content_version(
    client: httpx.AsyncClient,
) -> None:
    plain = plotly_js_path().read_bytes()
    answer = await client.get("/static/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.headers["etag"] == f'"{version(plain)}"'
    assert answer.headers["vary"] == "Accept-Encoding"
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    # httpx undoes the gzip: what arrives is the package's file, byte for byte.
    assert answer.content == plain
    # 4.8 MB plain; gzip at level 9 brings it under a third.
    assert int(answer.headers["content-length"]) < len(plain) / 3


async def test_a_versioned_address_is_cached_for_a_year_an_unversioned_one_revalidates(
    client: httpx.AsyncClient,
) -> None:
    plain = (STATIC / "js" / "live.js").read_bytes()
    v = version(plain)
    versioned = await client.get(f"/static/js/live.js?v={v}")
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    stale = await client.get("/static/js/live.js?v=000000000000")
    assert stale.headers["cache-control"] == "no-cache"
    bare = await client.get("/static/js/live.js")
    assert bare.headers["cache-control"] == "no-cache"
    again = await client.get("/static/js/live.js", headers={"If-None-Match": f'"{v}"'})
    assert again.status_code == 304
    assert again.content == b""


async def test_brotli_when_the_browser_offers_it(client: httpx.AsyncClient) -> None:
    plain = (STATIC / "js" / "participant.js").read_bytes()
    raw = await client.get(
        "/static/js/participant.js", headers={"Accept-Encoding": "br"}, extensions={}
    )
    assert raw.headers["content-encoding"] == "br"
    # httpx decodes br when the brotli package is installed; compare the decoded bytes.
    assert raw.content == plain


async def test_nothing_outside_the_static_folder_is_served(client: httpx.AsyncClient) -> None:
    for path in (
        "/static/../arena/settings.py",
        "/static/%2e%2e/arena/settings.py",
        "/static/..%2Fconfig.toml",
        "/static/js/../../../config.toml",
        "/static/js",
        "/static/no-such-file.js",
    ):
        answer = await client.get(path)
        assert answer.status_code == 404, path


async def test_pages_link_their_files_by_version(server: Server, client: httpx.AsyncClient) -> None:
    page = (await client.get("/")).text
    css = version((STATIC / "css" / "arena.css").read_bytes())
    assert f'href="/static/css/arena.css?v={css}"' in page
    assert re.search(r'href="/static/favicon\.svg\?v=[0-9a-f]{12}"', page)


def test_large_files_are_compressed_once_and_kept_across_restarts(tmp_path: Path) -> None:
    big = tmp_path / "big.js"
    big.write_bytes(b"var x = 1;\n" * 40_000)  # 440,000 bytes: above the at-once limit
    first = AssetStore()
    first.cache_dir = tmp_path / "cache"
    asset = first.load(big)
    assert asset.brotli is None  # too large to compress on a request: gzip until warmed
    assert gzip.decompress(asset.gzipped or b"") == big.read_bytes()
    first.warm([big])
    cached = tmp_path / "cache" / f"{version(big.read_bytes())}.br"
    assert brotli.decompress(cached.read_bytes()) == big.read_bytes()
    # A new process (a restart) reads the kept copy instead of compressing again.
    second = AssetStore()
    second.cache_dir = tmp_path / "cache"
    assert second.load(big).brotli == cached.read_bytes()
