"""HTML pages are gzip-compressed for browsers that ask, never for other sites' requests."""

from __future__ import annotations

import gzip

import pytest

from tests.conftest import add_active_user, login


@pytest.fixture
def member(client):
    add_active_user("gzip@x.example")
    assert login(client, "gzip@x.example").status_code == 302


@pytest.mark.parametrize("site", [None, "same-origin", "none"])
def test_pages_are_compressed_when_asked(client, member, site):
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    if site:
        headers["Sec-Fetch-Site"] = site
    compressed = client.get("/communities", headers=headers)
    plain = client.get("/communities")
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]  # caches must keep both apart
    assert len(compressed.data) < len(plain.data)
    assert int(compressed.headers["Content-Length"]) == len(compressed.data)
    # The same page, apart from the per-request CSRF token.
    strip = lambda html: html.split(b'name="csrf_token"')[0]  # noqa: E731
    assert strip(gzip.decompress(compressed.data)) == strip(plain.data)


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_requests_from_other_sites_get_plain_pages(client, member, site):
    response = client.get(
        "/communities", headers={"Accept-Encoding": "gzip", "Sec-Fetch-Site": site}
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"<html" in response.data


def test_only_full_html_pages_are_compressed(client, member):
    gz = {"Accept-Encoding": "gzip"}
    missing = client.get("/c/bestaat-niet", headers=gz)
    assert missing.status_code == 404
    assert "Content-Encoding" not in missing.headers
    health = client.get("/healthz", headers=gz)
    assert "Content-Encoding" not in health.headers  # JSON, and small
    security_txt = client.get("/.well-known/security.txt", headers=gz)
    assert "Content-Encoding" not in security_txt.headers


def test_behind_a_proxy_the_proxy_compresses(database_config):
    """Production: nginx compresses (docs/DEPLOY.md); the app sends plain pages."""
    from tests.conftest import database, make_app

    for overrides, compressed in (
        ({"TRUSTED_PROXY_COUNT": 1}, False),
        ({"TRUSTED_PROXY_COUNT": 1, "COMPRESS_PAGES": True}, True),
        ({}, True),
    ):
        app = make_app(database_config, **overrides)
        with database(app):
            add_active_user("gzip@x.example")
            client = app.test_client()
            login(client, "gzip@x.example")
            page = client.get("/communities", headers={"Accept-Encoding": "gzip"})
            assert page.status_code == 200
            assert ("Content-Encoding" in page.headers) is compressed, overrides
