"""List-Unsubscribe on digest and notification mail, and the one-click POST (RFC 8058).

The headers travel through the outbox to a real SMTP server; the one-click POST comes as
a mail client sends it: no session, no CSRF token, the body `List-Unsubscribe=One-Click`.
"""

from __future__ import annotations

from typing import Any

import pytest

from community import mail
from community.models import User
from community.notifications import digest
from tests.conftest import login
from tests.smtp_server import SMTPServer  # the `smtp` fixture is in conftest

ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Kring Afmelden")
    author = make_user(name="Auteur")
    eager = make_user(name="Direct", email_mode="each")
    daily = make_user(name="Dagelijks", email_mode="daily")
    for person in (author, eager, daily):
        make_membership(person, community)
    return community, author, eager, daily


def _publish(client: Any, community: Any) -> None:
    client.post(
        f"/c/{community.slug}/cases/new",
        data={"title": "Casus", "theme": 0, "context": "c", "question": "q", "action": "publish"},
    )


def _received(smtp: SMTPServer, app: Any, to: str) -> list[Any]:
    mail.deliver_due(app)
    return [r.message for r in smtp.collector.received if r.message["To"] == to]


def _address(message: Any) -> str:
    header = "".join(str(message["List-Unsubscribe"]).split())  # unfolded (RFC 5322 2.2.3)
    assert header.startswith("<")
    assert header.endswith(">")
    return str(header[1:-1])


def test_notification_and_digest_mail_carry_the_headers(app, client, db, smtp, kring):
    community, author, eager, daily = kring
    login(client, author.email)
    _publish(client, community)
    (notification,) = _received(smtp, app, eager.email)
    url = _address(notification)
    assert url.startswith(app.config["BASE_URL"] + "/unsubscribe/")
    assert notification["List-Unsubscribe-Post"] == ONE_CLICK
    body = notification.get_payload(decode=True).decode()
    assert url in body  # the same link, readable in the text
    assert app.config["BASE_URL"] + "/account#email_mode" in body  # the settings, one click
    with app.test_request_context():
        assert digest.send_digests("daily") == 1
        db.session.commit()
    (overview,) = _received(smtp, app, daily.email)
    assert overview["List-Unsubscribe-Post"] == ONE_CLICK
    assert _address(overview) != url  # each recipient has a token of their own


def test_account_mail_has_no_unsubscribe(app, client, smtp, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    (reset,) = _received(smtp, app, user.email)
    assert reset["List-Unsubscribe"] is None
    assert reset["List-Unsubscribe-Post"] is None


def test_one_click_without_session_or_csrf_token(app, client, db, smtp, kring):
    community, author, eager, _daily = kring
    login(client, author.email)
    _publish(client, community)
    url = _address(_received(smtp, app, eager.email)[0])
    path = url.removeprefix(app.config["BASE_URL"])
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: other POSTs need the token
    mail_client = app.test_client()
    assert mail_client.post("/language", data={"language": "en"}).status_code == 400
    for _ in range(2):  # idempotent
        response = mail_client.post(
            path, data=ONE_CLICK, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
        assert db.session.get(User, eager.id).email_mode == "none"
        db.session.expire_all()
    page = response.get_data(as_text=True)
    assert eager.email not in page  # the page names no account
    assert "Direct" not in page


def test_a_tampered_token_changes_nothing(app, db, kring):
    _community, _author, eager, _daily = kring
    with app.test_request_context():
        token = digest.unsubscribe_token(eager)
    app.config["WTF_CSRF_ENABLED"] = True
    mail_client = app.test_client()
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x", "a" * 400):
        response = mail_client.post(f"/unsubscribe/{bad}", data=ONE_CLICK)
        assert response.status_code == 404
        assert "klopt niet" in response.get_data(as_text=True)
    assert db.session.get(User, eager.id).email_mode == "each"
