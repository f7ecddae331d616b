"""Deny by default, session checks, safe redirects and security headers."""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from community.accounts import login_check, sessions
from community.exceptions import RefusedInput
from community.extensions import login_manager
from community.formtools import NUL_IN_REQUEST
from community.models import AnonymousUser, User

log = logging.getLogger(__name__)

# Endpoints that answer without an active, logged-in user.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "accounts.login",
        "accounts.register",
        "accounts.registered",
        "accounts.confirm_email",
        "accounts.pending",
        "accounts.second_factor",
        "accounts.forgot_password",
        "accounts.reset_password",
        "pages.healthz",
        "pages.readyz",
        "pages.privacy",
        "pages.accessibility",
        "pages.set_language",
        "members.show_invitation",
        "meetings.calendar_feed",
        "pages.unsubscribe",
        "pages.security_txt",
        "pages.security_policy",
        "pages.favicon",
    }
)

# Public, but a signed-in user is still checked (and their session noted) as on every
# other page: the home page is the front door for visitors, the member's home otherwise.
FRONT_DOOR_ENDPOINTS = frozenset({"pages.home"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def safe_next_url(target: str | None, fallback: str = "/") -> str:
    """Return `target` only when it is a path on this site, else `fallback`."""
    if not target:
        return fallback
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Sessions carry `<id>:<session_token>`; a rotated token or inactive account ends them."""
    raw_id, _, rest = user_id.partition(":")
    token, _, sid = rest.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    # The account, this browser's session row, the memberships and the unread count in
    # one statement (community/accounts/login_check.py).
    found = login_check.run(int(raw_id), sid)
    if found is None:
        return None
    user = found.user
    if user.session_token != token or not user.is_active:
        return None
    if sid:
        sessions.remember(sid, found.session)
    if sessions.is_ended(sid or None):  # ended from the account page, here or elsewhere
        return None
    return user


def refuse_nul_bytes() -> None:
    """A NUL byte is never valid input (and PostgreSQL refuses it): answer 400 at once."""
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
    ):
        raise RefusedInput(NUL_IN_REQUEST)


def require_login() -> BaseResponse | None:
    """The app-wide `before_request` hook: anonymous visitors go to the login page."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        sessions.touch(current_user)
        return None
    if request.endpoint in FRONT_DOOR_ENDPOINTS:
        return None
    next_path = request.full_path if request.query_string else request.path
    return redirect(url_for("accounts.login", next=next_path))


def _is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:  # a unix socket: a proxy on this machine
        return True


def warn_secure_cookies_over_http() -> None:
    """Say once, in the log, why a login over plain HTTP cannot work with Secure cookies."""
    app = current_app
    if (
        request.is_secure
        or not app.config["SESSION_COOKIE_SECURE"]
        or app.extensions.get("leerkring_warned_insecure")
        or _is_loopback(request.remote_addr)
    ):
        return
    app.extensions["leerkring_warned_insecure"] = True
    log.warning(
        "A request from %s arrived over plain HTTP, but the session cookie is Secure "
        "(BASE_URL is %s, or SESSION_COOKIE_SECURE=1): browsers do not send it back over "
        "HTTP, so nobody can log in this way. Serve the app over HTTPS (a TLS proxy that "
        "sets X-Forwarded-Proto), or, for a trial over HTTP, set BASE_URL to its http:// "
        "address. This warning is logged once per process.",
        request.remote_addr,
        app.config["BASE_URL"],
    )


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Static files are the same for everyone: leave the session (Vary: Cookie, Set-Cookie) alone.
    if request.endpoint != "static" and current_user.is_authenticated:
        headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app: Flask) -> None:
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"
    app.before_request(refuse_nul_bytes)
    app.before_request(warn_secure_cookies_over_http)
    app.before_request(require_login)
    app.after_request(set_security_headers)
