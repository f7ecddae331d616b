"""Static assets: fingerprinted URLs, long-lived caching, gzip and the page-weight budget."""

from __future__ import annotations

import gzip
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask, url_for

from community.assets import IMMUTABLE, build_manifest
from tests.conftest import add_active_user, login

BUDGET = 150 * 1000  # bytes on the wire for a page and the stylesheets it links
FINGERPRINTED = re.compile(r"^/static/(?P<name>.+)\.(?P<digest>[0-9a-f]{12})\.css$")


class _Stylesheets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet":
            self.links.append((values["href"] or "", values.get("media") or "all"))


def stylesheets(html: str) -> list[tuple[str, str]]:
    parser = _Stylesheets()
    parser.feed(html)
    return parser.links


def static_file(app: Flask, name: str) -> bytes:
    assert app.static_folder
    return (Path(app.static_folder) / name).read_bytes()


def vendor_built(app: Flask) -> bool:
    assert app.static_folder
    return (Path(app.static_folder) / "vendor" / "utrecht.css").is_file()


def app_css_url(app: Flask) -> str:
    with app.test_request_context():
        return url_for("static", filename="css/app.css")


def test_pages_link_fingerprinted_stylesheets(app, client):
    links = stylesheets(client.get("/login").text)
    hrefs = [href for href, _ in links]
    digest = hashlib.sha256(static_file(app, "css/app.css")).hexdigest()[:12]
    assert f"/static/css/app.{digest}.css" in hrefs
    prints = [href for href, media in links if media == "print"]
    assert len(prints) == 1
    assert FINGERPRINTED.match(prints[0]), prints
    for href in hrefs:
        if href.startswith("/static/vendor/") and not vendor_built(app):
            continue
        assert FINGERPRINTED.match(href), href


def test_fingerprinted_name_is_immutable_and_exact(app, client):
    body = static_file(app, "css/app.css")
    response = client.get(app_css_url(app))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.mimetype == "text/css"
    assert "Content-Encoding" not in response.headers
    assert response.data == body
    assert response.headers["Content-Length"] == str(len(body))
    assert response.get_etag() == (hashlib.sha256(body).hexdigest()[:12], False)


@pytest.mark.parametrize("accept", ["gzip", "gzip, deflate, br", "br;q=1, gzip;q=0.5", "*"])
def test_gzip_when_the_client_accepts_it(app, client, accept):
    body = static_file(app, "css/app.css")
    response = client.get(app_css_url(app), headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.headers["Content-Length"] == str(len(response.data))
    assert len(response.data) < len(body)
    assert gzip.decompress(response.data) == body
    plain_etag, _ = client.get(app_css_url(app)).get_etag()
    assert response.get_etag()[0] == plain_etag + "-gz"


@pytest.mark.parametrize("accept", [None, "", "identity", "br", "gzip;q=0"])
def test_plain_bytes_without_gzip(app, client, accept):
    headers = {} if accept is None else {"Accept-Encoding": accept}
    response = client.get(app_css_url(app), headers=headers)
    assert "Content-Encoding" not in response.headers
    assert response.data == static_file(app, "css/app.css")


def test_plain_name_is_revalidated(app, client):
    response = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_etag()[0]
    assert gzip.decompress(response.data) == static_file(app, "css/app.css")


@pytest.mark.parametrize("url", ["/static/css/app.css", "fingerprinted"])
@pytest.mark.parametrize("accept", ["gzip", "identity"])
def test_matching_etag_gives_304(app, client, url, accept):
    url = app_css_url(app) if url == "fingerprinted" else url
    headers = {"Accept-Encoding": accept}
    etag = client.get(url, headers=headers).headers["ETag"]
    response = client.get(url, headers={**headers, "If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    other = "identity" if accept == "gzip" else "gzip"
    stale = client.get(url, headers={"Accept-Encoding": other, "If-None-Match": etag})
    assert stale.status_code == 200  # the other encoding is another representation


def test_head_sends_headers_only(app, client):
    get = client.get(app_css_url(app), headers={"Accept-Encoding": "gzip"})
    head = client.head(app_css_url(app), headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert head.headers["ETag"] == get.headers["ETag"]


def test_wrong_or_foreign_fingerprint_is_404(app, client):
    match = FINGERPRINTED.match(app_css_url(app))
    assert match
    wrong = "0" * 12 if match["digest"] != "0" * 12 else "1" * 12
    assert client.get(f"/static/css/app.{wrong}.css").status_code == 404
    print_digest = hashlib.sha256(static_file(app, "css/print.css")).hexdigest()[:12]
    assert client.get(f"/static/css/app.{print_digest}.css").status_code == 404
    assert client.get(f"/static/css/app.{match['digest'][:11]}.css").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/static/../pyproject.toml",
        "/static/css/../css/app.css",
        "/static/css/../../community/__init__.py",
        "/static/%2e%2e/pyproject.toml",
        "/static/css/..%2f..%2fpyproject.toml",
        "/static//etc/passwd",
        "/static/css/",
        "/static/nope.css",
    ],
)
def test_unknown_paths_and_traversal_are_404(client, url):
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 404
    assert b"[tool.ruff]" not in response.data
    assert b"create_app" not in response.data


def test_static_responses_leave_the_session_alone(app, client):
    add_active_user("static@x.example")
    assert login(client, "static@x.example").status_code == 302
    assert client.get("/").headers["Cache-Control"] == "private, no-store"
    response = client.get(app_css_url(app))
    assert response.headers["Cache-Control"] == IMMUTABLE  # not private: no user data
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers["Vary"]


def _page_weight(app, client, path: str) -> int:
    page = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "gzip"
    total = len(page.data)
    html = gzip.decompress(page.data).decode()
    links = [href for href, media in stylesheets(html) if media in ("all", "screen")]
    assert any("/static/css/app." in href for href in links)
    for href in links:
        response = client.get(href, headers={"Accept-Encoding": "gzip"})
        if href.startswith("/static/vendor/") and not vendor_built(app):
            continue
        assert response.status_code == 200, href
        assert response.headers["Content-Encoding"] == "gzip", href
        total += len(response.data)
    return total


def test_login_page_with_its_css_fits_the_budget(app, client):
    assert _page_weight(app, client, "/login") <= BUDGET


def test_home_page_with_its_css_fits_the_budget(app, client):
    add_active_user("budget@x.example")
    assert login(client, "budget@x.example").status_code == 302
    assert _page_weight(app, client, "/") <= BUDGET


def test_vendor_css_is_served_compressed(app, client):
    if not vendor_built(app):
        pytest.skip("static/vendor is not built (make vendor)")
    raw = static_file(app, "vendor/utrecht.css")
    with app.test_request_context():
        url = url_for("static", filename="vendor/utrecht.css")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert len(response.data) < len(raw) // 5
    assert gzip.decompress(response.data) == raw


def test_missing_static_folder_does_not_break_pages(app, client, tmp_path):
    app.extensions["assets"] = build_manifest(str(tmp_path / "absent"))
    page = client.get("/login")
    assert page.status_code == 200
    assert "/static/css/app.css" in [href for href, _ in stylesheets(page.text)]
    assert client.get("/static/css/app.css").status_code == 404


def test_only_files_that_shrink_are_compressed(app, client, tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "tiny.css").write_text("a{}")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + b"\x00" * 200)
    (tmp_path / ".hidden.txt").write_text("secret " * 50)
    app.extensions["assets"] = build_manifest(str(tmp_path))
    for name, mimetype in [("css/tiny.css", "text/css"), ("logo.png", "image/png")]:
        response = client.get(f"/static/{name}", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert "Content-Encoding" not in response.headers
        assert response.data == (tmp_path / name).read_bytes()
    assert client.get("/static/.hidden.txt").status_code == 404


def test_debug_mode_picks_up_an_edited_file(app, client, tmp_path):
    (tmp_path / "site.css").write_text("body { color: red; }")
    app.static_folder = str(tmp_path)
    app.extensions["assets"] = build_manifest(str(tmp_path))
    app.debug = True
    with app.test_request_context():
        old = url_for("static", filename="site.css")
    (tmp_path / "site.css").write_text("body { color: darkblue; }")
    assert client.get("/static/site.css").data == b"body { color: darkblue; }"
    with app.test_request_context():
        new = url_for("static", filename="site.css")
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).headers["Cache-Control"] == IMMUTABLE
