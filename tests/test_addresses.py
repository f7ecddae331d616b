"""One address rule for registration, invitations and create-admin; login takes any address."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community import addresses
from community.models import Invitation, User
from tests.conftest import login

ADMIN_PASSWORD = "een-sterk-beheerderswachtwoord"


def test_an_admin_made_with_a_test_domain_can_log_in(runner, db, client, monkeypatch):
    monkeypatch.setenv("LEERKRING_ADMIN_PASSWORD", ADMIN_PASSWORD)
    result = runner.invoke(args=["create-admin", "beheer@leerkring.test", "--name", "Beheer"])
    assert result.exit_code == 0, result.output
    response = login(client, "beheer@leerkring.test", ADMIN_PASSWORD)
    # Logged in: staff are sent to set up two-step verification before anything else.
    assert response.headers["Location"] == "/account/2fa"
    assert client.get("/account").status_code == 200


def test_login_and_reset_accept_any_address_an_account_has(client, make_user, outbox):
    # An account made before the one rule existed, on an intranet domain the rule refuses.
    user = make_user(email="beheer@intranet.local")
    with pytest.raises(addresses.InvalidAddress):
        addresses.check(user.email)
    assert login(client, user.email).status_code == 302
    client.post("/logout")
    before = len(outbox)
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 200
    assert [m["To"] for m in outbox[before:]] == [user.email]
    assert "/password/reset/" in outbox[-1].get_content()


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("naam@gemeente.nl", True),
        ("Naam@Gemeente.NL", True),
        ("beheer@leerkring.test", True),
        ("iemand@voorbeeld.example", True),
        ("geen-adres", False),
        ("a@b", False),
        ("a@intranet.local", False),
        ("a..b@gemeente.nl", False),
        ("Naam <naam@gemeente.nl>", False),
        ("naam@[127.0.0.1]", False),
        ("x" * 250 + "@b.nl", False),
    ],
)
def test_registration_invitations_and_create_admin_agree(
    address,
    valid,
    app,
    db,
    client,
    runner,
    monkeypatch,
    make_organisation,
    make_user,
    make_community,
    make_membership,
):
    organisation = make_organisation()
    registered = client.post(
        "/register",
        data={
            "name": "Nieuw",
            "email": address,
            "organisation": organisation.id,
            "password": "een-lang-en-ongewoon-wachtwoord",
            "password_confirm": "een-lang-en-ongewoon-wachtwoord",
        },
    )
    assert (registered.status_code == 302) is valid
    monkeypatch.setenv("LEERKRING_ADMIN_PASSWORD", ADMIN_PASSWORD)
    made = runner.invoke(args=["create-admin", address, "--name", "Beheer"])
    assert (made.exit_code == 0) is valid, made.output
    if not valid:
        assert "not a valid e-mail address" in made.output
    moderator = make_user()
    community = make_community()
    make_membership(moderator, community, role="moderator")
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/invite", data={"email": address, "role": "member"})
    invited = db.session.scalar(select(func.count()).select_from(Invitation))
    assert (invited == 1) is valid
    if valid:
        stored = db.session.scalars(select(User.email)).all()
        assert address.strip().lower() in stored


def test_check_normalises():
    assert addresses.check("  Naam@Gemeente.NL ") == "naam@gemeente.nl"
