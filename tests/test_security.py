"""Deny by default, headers, CSRF, error pages and rate limits."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from community.security import FRONT_DOOR_ENDPOINTS, PUBLIC_ENDPOINTS, safe_next_url
from tests.conftest import PASSWORD, add_active_user, database, login, make_app


def _example_url(app: Flask, rule) -> str:
    values = {name: 1 for name in rule.arguments}
    if "token" in rule.arguments:
        values["token"] = "x"
    if "filename" in rule.arguments:
        values["filename"] = "css/app.css"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_every_non_public_endpoint_sends_anonymous_visitors_to_login(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS | FRONT_DOOR_ENDPOINTS:
            continue  # the front door is checked in tests/test_route_sweep.py
        url = _example_url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (rule.endpoint, method, response.status_code)
            assert response.headers["Location"].startswith("/login?next="), rule.endpoint
            checked += 1
    assert checked >= 10


def test_public_list_is_short_and_known(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints | {"static"} >= PUBLIC_ENDPOINTS
    assert {endpoint for endpoint in PUBLIC_ENDPOINTS if not endpoint.startswith("accounts.")} == {
        "static",
        "pages.healthz",
        "pages.readyz",
        "pages.privacy",
        "pages.accessibility",
        "pages.set_language",
        "members.show_invitation",  # the token in the link is the key
        "meetings.calendar_feed",  # the token in the link is the key
        "pages.unsubscribe",  # the signed token in the digest is the key
        "pages.security_txt",
        "pages.security_policy",
        "pages.favicon",  # a redirect to static/favicon.svg
    }


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" in response.headers  # the suite speaks https
    plain = client.get("/login", base_url="http://leerkring.test")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/login", base_url="https://leerkring.test")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]


def test_pages_have_no_inline_script(client, logged_in):
    logged_in()
    for path in ("/", "/account", "/login", "/privacy"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert " on" + "click=" not in html


def test_layout_landmarks_and_skip_link(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl"' in html
    assert 'href="#inhoud"' in html
    assert '<main id="inhoud"' in html
    assert "Privacyverklaring" in html
    assert "Toegankelijkheidsverklaring" in html


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/account", "/account"),
        ("/c/x?y=1", "/c/x?y=1"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("\\/evil.example", "/"),
        ("/\tevil", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_url(target, expected):
    assert safe_next_url(target) == expected


def test_error_pages_use_the_layout_without_internals(app, client):
    response = client.get("/does-not-exist")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html
    assert 'href="#inhoud"' in html
    assert client.get("/logout").status_code == 405


def test_500_page_hides_the_stack_trace(database_config):
    app = make_app(database_config, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    with database(app):
        assert app.test_client().get("/boom").status_code == 302  # needs login first
        client = app.test_client()
        add_active_user("a@x.example")
        login(client, "a@x.example")
        response = client.get("/boom")
        html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


def test_413_for_oversized_requests(database_config):
    app = make_app(database_config, MAX_CONTENT_LENGTH=1024)
    with database(app):
        response = app.test_client().post("/login", data={"email": "x" * 2048, "password": "y"})
    assert response.status_code == 413
    assert "Te groot" in response.get_data(as_text=True)


def test_csrf_is_required_on_every_post(database_config, make_user):
    app = make_app(database_config, WTF_CSRF_ENABLED=True)
    with database(app):
        add_active_user("a@x.example")
        client = app.test_client()
        refused = client.post("/login", data={"email": "a@x.example", "password": PASSWORD})
        assert refused.status_code == 400
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        # Over https Flask-WTF also checks that the Referer is this site, as browsers send it.
        same_site = {"Referer": "https://localhost/login"}
        accepted = client.post(
            "/login",
            data={"email": "a@x.example", "password": PASSWORD, "csrf_token": token},
            headers=same_site,
        )
        assert accepted.status_code == 302
        assert client.post("/logout").status_code == 400  # logout needs the token too
        assert client.get("/account").status_code == 200
        home = client.get("/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
        assert (
            client.post("/logout", data={"csrf_token": token}, headers=same_site).status_code == 302
        )
        assert client.get("/account").status_code == 302


def test_csrf_refuses_a_post_from_another_site_over_https(database_config):
    app = make_app(database_config, WTF_CSRF_ENABLED=True)
    with database(app):
        add_active_user("a@x.example")
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = {"email": "a@x.example", "password": PASSWORD, "csrf_token": token}
        elsewhere = client.post("/login", data=data, headers={"Referer": "https://evil.example/"})
        assert elsewhere.status_code == 400
        assert client.get("/account").status_code == 302


def test_login_rate_limit_gives_a_dutch_429(database_config):
    app = make_app(database_config, RATELIMIT_ENABLED=True)
    with database(app):
        client = app.test_client()
        statuses = [
            login(client, "target@x.example", "wrong-password-123").status_code for _ in range(11)
        ]
        assert statuses[:10] == [200] * 10
        assert statuses[10] == 429
        page = login(client, "target@x.example", "wrong-password-123").get_data(as_text=True)
        assert "Te veel pogingen" in page
        # Another account from the same address is not locked out by the per-account limit.
        assert login(client, "other@x.example", "wrong-password-123").status_code == 200


def test_registration_and_reset_are_rate_limited(database_config):
    app = make_app(database_config, RATELIMIT_ENABLED=True)
    with database(app):
        client = app.test_client()
        resets = [
            client.post("/password/forgot", data={"email": "a@x.example"}).status_code
            for _ in range(6)
        ]
        assert resets[-1] == 429
        registrations = [
            client.post("/register", data={"name": "x"}).status_code for _ in range(11)
        ]
        assert registrations[-1] == 429
