"""Home, statements, language choice and the health check."""

from __future__ import annotations

from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response as BaseResponse

from community import malware_scan, rate_limits, transaction
from community.communities.queries import my_communities
from community.extensions import csrf, db
from community.formtools import posted
from community.i18n import current_language
from community.models.base import utcnow
from community.notifications.unsubscribe import user_for_unsubscribe
from community.pages import front_door
from community.pages import home as sections
from community.security import safe_next_url

bp = Blueprint("pages", __name__)


@bp.route("/")
def home() -> str:
    """The member's "what needs you"; for a visitor who is not signed in, the front door."""
    if not current_user.is_authenticated:
        return front_door_page()
    user = current_user._get_current_object()
    return render_template(
        "pages/home.html",
        communities=my_communities(user),
        new=sections.new_activity(user),
        waiting=sections.waiting_cases(user),
        advice=sections.advice_requests(user),
        meetings=sections.upcoming_meetings(user),
        requests=sections.my_requests(user),
        library=sections.library_news(user),
    )


def front_door_page() -> str:
    cities, partners = front_door.organisations()
    return render_template(
        "pages/front_door.html",
        cities=cities,
        partners=partners,
        communities=front_door.communities(),
        language=current_language(),
    )


@bp.route("/privacy")
def privacy() -> str:
    return render_template("pages/privacy.html")


# The day the accessibility statement was last drawn up; change it with the statement.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 3)


@bp.route("/toegankelijkheid")
def accessibility() -> str:
    """The accessibility statement, after the Dutch model statement (digitoegankelijk.nl)."""
    contact = current_app.config["ACCESSIBILITY_CONTACT"]
    return render_template(
        "pages/accessibility.html",
        drawn_up=ACCESSIBILITY_STATEMENT_DATE,
        contact=contact,
        address=contact.removeprefix("mailto:"),
    )


@bp.route("/beveiliging")
def security_policy() -> str:
    """How to report a vulnerability (the `Policy:` of security.txt)."""
    contact = current_app.config["SECURITY_CONTACT"]
    return render_template(
        "pages/security.html", contact=contact, address=contact.removeprefix("mailto:")
    )


@bp.route("/language", methods=["POST"])
def set_language() -> BaseResponse:
    """Choose the interface language (stored on the account when logged in)."""
    language = posted("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language
        if current_user.is_authenticated:
            current_user.locale = language
    return redirect(safe_next_url(posted("next"), url_for("pages.home")))


@bp.route("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Liveness (the contract: 200 when the app and its database answer)."""
    if not _database_answers():
        return {"status": "unavailable"}, 503
    return {"status": "ok"}, 200


@bp.route("/readyz")
def readyz() -> tuple[dict[str, str], int]:
    """Readiness for the load balancer: the database and the rate-limit store (Redis in
    production) answer. Without the store, logins could not be limited: not ready. The
    malware scanner is reported but does not decide: without it only uploads are refused."""
    checks = {"database": _database_answers(), "rate_limits": rate_limits.storage_answers()}
    words = {True: "ok", False: "unavailable", None: "off"}
    ready = all(answer is not False for answer in checks.values())
    body = {"status": "ok" if ready else "unavailable"} | {
        name: words[answer] for name, answer in checks.items()
    }
    body["malware_scan"] = words[malware_scan.answers()]
    return body, 200 if ready else 503


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        transaction.fail()
        return False
    return True


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client posts without a session; the signed token is the key
def unsubscribe(token: str) -> str | BaseResponse | tuple[str, int]:
    """Stop e-mail (digests and notifications) from the link in a mail, without logging in.

    GET shows the question, POST (the button, or a mail client's one-click
    `List-Unsubscribe=One-Click`) answers it; a repeated POST changes nothing more.
    """
    user = user_for_unsubscribe(token)
    if user is None:
        return render_template("pages/unsubscribe.html", user=None, done=False), 404
    if request.method == "POST":
        user.email_mode = "none"
        return render_template("pages/unsubscribe.html", user=user, done=True)
    return render_template("pages/unsubscribe.html", user=user, done=False)


@bp.route("/favicon.ico")
def favicon() -> BaseResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page links: the SVG."""
    response = redirect(url_for("static", filename="favicon.svg"), code=302)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/.well-known/security.txt")
def security_txt() -> Response:
    """RFC 9116: where to report a vulnerability, and until when this file holds.

    `Expires` is always `SECURITY_TXT_DAYS` (at most a year) from now, so it never lapses.
    """
    config = current_app.config
    days = min(int(config["SECURITY_TXT_DAYS"]), 365)
    expires = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    body = (
        f"Contact: {config['SECURITY_CONTACT']}\n"
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
        f"Policy: {config['BASE_URL']}{url_for('pages.security_policy')}\n"
        "Preferred-Languages: nl, en\n"
        f"Canonical: {config['BASE_URL']}/.well-known/security.txt\n"
    )
    return Response(body, mimetype="text/plain")
