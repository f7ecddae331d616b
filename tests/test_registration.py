"""Registration and e-mail confirmation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from community.models import AuditEvent, User
from tests.conftest import PASSWORD, login


def _form(organisation_id: int, **overrides: object) -> dict[str, object]:
    data = {
        "name": "Sanne de Vries",
        "email": "sanne@venlo.nl",
        "organisation": organisation_id,
        "job_title": "Beleidsadviseur",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    data.update(overrides)
    return data


def _link(message) -> str:
    match = re.search(r"https://leerkring\.test(/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


@pytest.fixture
def venlo(make_organisation):
    return make_organisation(name="Venlo", slug="venlo", domains=["venlo.nl"])


def test_register_confirm_and_login_with_matching_domain(client, db, outbox, venlo):
    response = client.post("/register", data=_form(venlo.id))
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/sent"
    user = db.session.scalar(select(User).where(User.email == "sanne@venlo.nl"))
    assert user.status == "pending"
    assert user.email_confirmed_at is None
    assert user.password_hash != PASSWORD
    assert [m["To"] for m in outbox] == ["sanne@venlo.nl"]

    # Not confirmed yet: cannot log in.
    response = login(client, "sanne@venlo.nl")
    assert "Bevestig eerst je e-mailadres" in response.get_data(as_text=True)

    response = client.get(_link(outbox[0]))
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    db.session.refresh(user)
    assert user.status == "active"
    assert user.email_confirmed_at is not None

    assert login(client, "sanne@venlo.nl").status_code == 302
    assert client.get("/account").status_code == 200


def test_email_is_stored_lower_case_and_unique_case_insensitively(client, db, outbox, venlo):
    client.post("/register", data=_form(venlo.id, email="Sanne@VENLO.nl"))
    client.post("/register", data=_form(venlo.id, email="SANNE@venlo.NL"))
    emails = db.session.scalars(select(User.email)).all()
    assert emails == ["sanne@venlo.nl"]


def test_foreign_domain_waits_for_an_admin(client, db, outbox, venlo, make_user):
    admin = make_user(platform_role="admin", email="admin@platform31.nl")
    client.post("/register", data=_form(venlo.id, email="sanne@gmail.example"))
    response = client.get(_link(outbox[0]))
    assert response.headers["Location"] == "/account/pending"
    user = db.session.scalar(select(User).where(User.email == "sanne@gmail.example"))
    assert user.status == "pending"
    assert user.email_confirmed_at is not None
    assert outbox[-1]["To"] == admin.email
    assert "wacht op goedkeuring" in outbox[-1]["Subject"]

    response = login(client, "sanne@gmail.example")
    assert response.headers["Location"] == "/account/pending"
    assert client.get("/account").status_code == 302  # still anonymous


def test_known_address_answers_the_same_and_warns_the_owner(client, db, outbox, venlo, make_user):
    owner = make_user(email="bestaand@venlo.nl", organisation=venlo)
    response = client.post("/register", data=_form(venlo.id, email="bestaand@venlo.nl"))
    fresh = client.post("/register", data=_form(venlo.id, email="nieuw@venlo.nl"))
    assert response.status_code == fresh.status_code == 302
    assert response.headers["Location"] == fresh.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    warning = next(m for m in outbox if m["To"] == owner.email)
    assert "probeerde" in warning["Subject"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Vul dit veld in."),
        ({"name": "x" * 121}, "name", "hoogstens 120 tekens"),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"email": "a@b"}, "email", "geldig e-mailadres"),
        ({"email": ("x" * 250) + "@venlo.nl"}, "email", "hoogstens 254"),
        ({"job_title": "x" * 121}, "job_title", "hoogstens 120 tekens"),
        ({"password": "kort", "password_confirm": "kort"}, "password", "minstens 12 tekens"),
        ({"password": "x" * 129, "password_confirm": "x" * 129}, "password", "hoogstens 128"),
        (
            {"password": "Wachtwoord1234", "password_confirm": "Wachtwoord1234"},
            "password",
            "te vaak voor",
        ),
        ({"password_confirm": "iets-anders-dan-dat"}, "password_confirm", "niet gelijk"),
        ({"organisation": 0}, "organisation", "Kies je organisatie"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    client, db, outbox, venlo, overrides, field, message
):
    response = client.post("/register", data=_form(venlo.id, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert f'href="#{field}"' in html  # linked from the error summary
    assert f'id="{field}-error"' in html
    assert 'role="alert"' in html
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert outbox == []
    if "name" in overrides:
        return
    assert 'value="Sanne de Vries"' in html  # nothing lost on a failed submit


@pytest.mark.parametrize("organisation", ["999999", "abc", ""])
def test_unknown_organisation_is_a_form_error(client, db, organisation):
    response = client.post("/register", data=_form(0, organisation=organisation))
    assert response.status_code == 200
    assert 'id="organisation-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_megabyte_password_is_rejected_before_hashing(client, db, venlo, monkeypatch):
    from community.accounts import passwords

    def fail(*args, **kwargs):
        raise AssertionError("hashed")

    monkeypatch.setattr(passwords, "generate_password_hash", fail)
    huge = "x" * (1024 * 1024)
    response = client.post("/register", data=_form(venlo.id, password=huge, password_confirm=huge))
    assert response.status_code in {200, 413}
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_wrong_confirmation_token_is_refused(client):
    response = client.get("/confirm/not-a-token")
    assert response.status_code == 200
    assert "ongeldig of verlopen" in response.get_data(as_text=True)


def test_confirmation_link_works_once(client, db, outbox, venlo):
    client.post("/register", data=_form(venlo.id))
    link = _link(outbox[0])
    client.get(link)
    again = client.get(link)
    assert "al bevestigd" in again.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "account.confirmed")
        )
        == 1
    )
