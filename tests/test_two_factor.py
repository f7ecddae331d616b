"""Two-factor login: setup, codes used once, recovery codes, resets, and staff that must use it."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from community.models import AuditEvent, User
from tests.conftest import PASSWORD, database, login, make_app


def _enable(client, db, user) -> tuple[str, list[str]]:
    page = client.get("/account/2fa").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'<code class="feed-url">([A-Z2-7]+)</code>', page).group(1)
    wrong = client.post("/account/2fa", data={"password": "niet-mijn-wachtwoord", "code": "123456"})
    assert 'id="password-error"' in wrong.get_data(as_text=True)
    wrong = client.post("/account/2fa", data={"password": PASSWORD, "code": "000000"})
    assert 'id="code-error"' in wrong.get_data(as_text=True)
    done = client.post(
        "/account/2fa", data={"password": PASSWORD, "code": pyotp.TOTP(secret).now()}
    )
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert db.session.get(User, user.id).totp_secret == secret
    return secret, codes


def test_setup_then_login_with_a_code_that_works_once(app, client, db, logged_in):
    user = logged_in()
    secret, _codes = _enable(client, db, user)
    client.post("/logout")
    response = login(client, user.email, second_factor=False)
    assert response.headers["Location"] == "/login/code"
    assert client.get("/account").status_code == 302  # not logged in yet
    bad = client.post("/login/code", data={"code": "111111"})
    assert "klopt niet" in bad.get_data(as_text=True)
    # The setup used this step's code already; the next step's code (clock drift) is new.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post("/login/code", data={"code": code}).headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    other = app.test_client()
    login(other, user.email, second_factor=False)
    reused = other.post("/login/code", data={"code": code})
    assert "klopt niet of is al gebruikt" in reused.get_data(as_text=True)
    assert other.get("/account").status_code == 302
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "2fa.enabled" in actions
    assert "2fa.failed" in actions


def test_recovery_code_works_once(app, client, db, logged_in):
    user = logged_in()
    _secret, codes = _enable(client, db, user)
    client.post("/logout")
    login(client, user.email, second_factor=False)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 302
    assert client.get("/account").status_code == 200
    other = app.test_client()
    login(other, user.email, second_factor=False)
    assert "klopt niet" in other.post("/login/code", data={"code": codes[0]}).get_data(as_text=True)


def test_password_reset_does_not_skip_the_second_factor(client, db, outbox, logged_in):
    user = logged_in()
    _enable(client, db, user)
    client.post("/logout")
    client.post("/password/forgot", data={"email": user.email})
    path = re.search(
        r"https://leerkring\.test(/password/reset/\S+)", outbox[-1].get_content()
    ).group(1)
    client.post(
        path,
        data={
            "password": "een-nieuw-lang-wachtwoord",
            "password_confirm": "een-nieuw-lang-wachtwoord",
        },
    )
    response = login(client, user.email, "een-nieuw-lang-wachtwoord", second_factor=False)
    assert response.headers["Location"] == "/login/code"


def test_staff_must_set_up_two_factor(database_config):
    app = make_app(database_config, REQUIRE_2FA_FOR_STAFF=True)
    with database(app):
        from tests.conftest import add_active_user

        add_active_user("beheer@x.example", platform_role="admin")
        client = app.test_client()
        response = login(client, "beheer@x.example")
        assert response.headers["Location"] == "/account/2fa"
        assert client.get("/admin/accounts").status_code == 403
        assert client.get("/admin/audit").status_code == 403


def test_admin_resets_a_lost_device(app, client, db, logged_in, make_user):
    member = make_user(totp_secret=pyotp.random_base32())
    logged_in(platform_role="admin")
    client.post(f"/admin/accounts/{member.id}/reset-2fa")
    assert db.session.get(User, member.id).totp_secret is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "2fa.reset_by_admin"))
    assert event.target_id == member.id
