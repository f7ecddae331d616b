"""Password reset by e-mail link: single use, one hour, newest link only."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner

from tests.conftest import PASSWORD, login

NEW = "een-heel-nieuw-wachtwoord"


def _reset_path(message) -> str:
    match = re.search(r"https://leerkring\.test(/password/reset/\S+)", message.get_content())
    assert match
    return match.group(1)


def _new_password(client, path: str):
    return client.post(path, data={"password": NEW, "password_confirm": NEW})


def test_forgot_answers_the_same_for_known_and_unknown(client, outbox, make_user):
    user = make_user()
    known = client.post("/password/forgot", data={"email": user.email})
    unknown = client.post("/password/forgot", data={"email": "nobody@x.example"})
    assert known.status_code == unknown.status_code == 200
    # The same page but for the CSRF token, which carries the second it was made in.
    assert _without_token(known) == _without_token(unknown)
    assert [m["To"] for m in outbox] == [user.email]


def _without_token(response) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))


def test_reset_link_sets_a_password_once(client, outbox, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    path = _reset_path(outbox[-1])
    assert client.get(path).status_code == 200
    response = _new_password(client, path)
    assert response.headers["Location"] == "/login"
    assert login(client, user.email, NEW).status_code == 302
    client.post("/logout")
    reused = client.get(path)
    assert "ongeldig, al gebruikt of verlopen" in reused.get_data(as_text=True)
    assert "ongeldig, al gebruikt of verlopen" in _new_password(client, path).get_data(as_text=True)


def test_newer_link_invalidates_the_older(client, outbox, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    first = _reset_path(outbox[-1])
    client.post("/password/forgot", data={"email": user.email})
    second = _reset_path(outbox[-1])
    assert "ongeldig" in client.get(first).get_data(as_text=True)
    assert _new_password(client, second).status_code == 302


def test_password_change_invalidates_an_open_link(client, outbox, logged_in):
    user = logged_in()
    client.post("/password/forgot", data={"email": user.email})
    path = _reset_path(outbox[-1])
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW, "password_confirm": NEW},
    )
    assert "ongeldig" in client.get(path).get_data(as_text=True)


def test_expired_link_is_refused(client, outbox, make_user, monkeypatch):
    user = make_user()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3601)
    client.post("/password/forgot", data={"email": user.email})
    monkeypatch.undo()
    assert "ongeldig" in client.get(_reset_path(outbox[-1])).get_data(as_text=True)


def test_tampered_token_is_refused(client):
    assert "ongeldig" in client.get("/password/reset/abc.def.ghi").get_data(as_text=True)


def test_weak_new_password_is_refused(client, outbox, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    path = _reset_path(outbox[-1])
    response = client.post(path, data={"password": "kort", "password_confirm": "kort"})
    assert response.status_code == 200
    assert "minstens 12 tekens" in response.get_data(as_text=True)
    assert login(client, user.email, PASSWORD).status_code == 302
