"""Invitations by e-mail: known accounts, new accounts through registration, expiry, revocation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.models import Invitation, Membership, Notification, User
from tests.conftest import PASSWORD, login


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Wonen en zorg", visibility="secret")
    moderator = make_user(name="Mo Derator")
    make_membership(moderator, community, role="moderator")
    return community, moderator


def _invitation_path(message) -> str:
    match = re.search(r"https://leerkring\.test(/invitations/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def _membership(db, user, community):
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.community_id == community.id
        )
    )


def test_known_address_gets_notification_and_mail_and_accepts(
    app, client, db, outbox, kring, make_user
):
    community, moderator = kring
    colleague = make_user(email="collega@emmen.nl")
    login(client, moderator.email)
    response = client.post(
        f"/c/{community.slug}/invite", data={"email": "Collega@Emmen.nl", "role": "expert"}
    )
    assert response.headers["Location"] == f"/c/{community.slug}/members"
    assert _membership(db, colleague, community).status == "invited"
    assert (
        db.session.scalar(
            select(Notification.kind).where(Notification.recipient_id == colleague.id)
        )
        == "invited"
    )
    assert outbox[-1]["To"] == "collega@emmen.nl"
    colleague_client = app.test_client()
    login(colleague_client, colleague.email)
    assert colleague_client.get("/notifications").status_code == 200
    page = colleague_client.get(f"/c/{community.slug}").get_data(
        as_text=True
    )  # secret, but invited
    assert "Je bent uitgenodigd" in page
    colleague_client.post(f"/c/{community.slug}/join", data={})
    membership = _membership(db, colleague, community)
    assert (membership.status, membership.role) == ("active", "expert")
    assert db.session.scalar(select(Invitation.accepted_at)) is not None


def test_unknown_address_registers_and_lands_in_the_community(
    client, db, outbox, kring, make_organisation
):
    community, moderator = kring
    emmen = make_organisation(name="Emmen", slug="emmen", domains=["emmen.nl"])
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/invite", data={"email": "nieuw@emmen.nl", "role": "member"})
    path = _invitation_path(outbox[-1])
    client.post("/logout")
    landing = client.get(path).get_data(as_text=True)
    assert "Wonen en zorg" in landing
    assert "Registreren" in landing
    client.post(
        "/register",
        data={
            "name": "Nieuw Lid",
            "email": "nieuw@emmen.nl",
            "organisation": emmen.id,
            "job_title": "",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    confirm = re.search(r"https://leerkring\.test(/confirm/\S+)", outbox[-1].get_content()).group(1)
    client.get(confirm)
    user = db.session.scalar(select(User).where(User.email == "nieuw@emmen.nl"))
    assert user.status == "active"
    response = login(client, "nieuw@emmen.nl")
    assert response.headers["Location"] == path
    response = client.post(path)
    assert response.headers["Location"] == f"/c/{community.slug}"
    assert _membership(db, user, community).status == "active"
    assert client.get(f"/c/{community.slug}/members").status_code == 200
    assert "verlopen, ingetrokken of al gebruikt" in client.get(path).get_data(as_text=True)


def test_invitation_for_another_address_is_refused(client, db, outbox, kring, make_user):
    community, moderator = kring
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/invite", data={"email": "iemand@x.example", "role": "member"})
    path = _invitation_path(outbox[-1])
    client.post("/logout")
    intruder = make_user()
    login(client, intruder.email)
    response = client.post(path, follow_redirects=True)
    assert "ander e-mailadres" in response.get_data(as_text=True)
    assert _membership(db, intruder, community) is None


def test_expired_and_revoked_invitations_are_refused(client, db, outbox, kring, make_user):
    community, moderator = kring
    invitee = make_user(email="invitee@x.example")
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/invite", data={"email": invitee.email, "role": "member"})
    path = _invitation_path(outbox[-1])
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    db.session.commit()
    client.post("/logout")
    login(client, invitee.email)
    assert "verlopen" in client.get(path).get_data(as_text=True)
    client.post("/logout")
    login(client, moderator.email)
    invitation.expires_at = invitation.created_at + timedelta(days=14)
    db.session.commit()
    client.post(f"/c/{community.slug}/invitations/{invitation.id}/revoke")
    assert db.session.scalar(select(Invitation.revoked_at)) is not None
    assert _membership(db, invitee, community).status == "declined"
    client.post("/logout")
    login(client, invitee.email)
    assert "ingetrokken" in client.get(path).get_data(as_text=True)
    assert client.get(f"/c/{community.slug}").status_code == 404  # secret: no longer invited


def test_invitation_form_validation(client, db, kring, make_user, make_membership):
    community, moderator = kring
    member = make_user(email="al@lid.example")
    make_membership(member, community)
    login(client, moderator.email)
    for data, field in (
        ({"email": "geen-adres", "role": "member"}, "email"),
        ({"email": "a@b.example", "role": "moderator"}, "role"),
        ({"email": "al@lid.example", "role": "member"}, "email"),
    ):
        response = client.post(f"/c/{community.slug}/invite", data=data)
        assert response.status_code == 200
        assert f'id="{field}-error"' in response.get_data(as_text=True), field
    assert db.session.scalar(select(Invitation)) is None


def test_members_cannot_invite(client, kring, logged_in, make_membership):
    community, _ = kring
    user = logged_in()
    make_membership(user, community)
    assert client.get(f"/c/{community.slug}/invite").status_code == 403
    assert (
        client.post(
            f"/c/{community.slug}/invite", data={"email": "a@b.example", "role": "member"}
        ).status_code
        == 403
    )


def test_invitation_does_not_bypass_account_approval(client, db, outbox, kring, make_organisation):
    """A moderator's invitation to a foreign domain still needs an administrator's approval."""
    community, moderator = kring
    emmen = make_organisation(name="Emmen", slug="emmen", domains=["emmen.nl"])
    login(client, moderator.email)
    client.post(
        f"/c/{community.slug}/invite", data={"email": "iemand@gmail.example", "role": "member"}
    )
    client.post("/logout")
    client.post(
        "/register",
        data={
            "name": "Iemand",
            "email": "iemand@gmail.example",
            "organisation": emmen.id,
            "job_title": "",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    confirm = re.search(r"https://leerkring\.test(/confirm/\S+)", outbox[-1].get_content()).group(1)
    assert client.get(confirm).headers["Location"] == "/account/pending"
    user = db.session.scalar(select(User).where(User.email == "iemand@gmail.example"))
    assert user.status == "pending"


def test_pending_invitation_is_not_followed_by_someone_else(client, db, outbox, kring, make_user):
    community, moderator = kring
    login(client, moderator.email)
    client.post(
        f"/c/{community.slug}/invite", data={"email": "invitee@x.example", "role": "member"}
    )
    path = _invitation_path(outbox[-1])
    client.post("/logout")
    client.get(path)  # opened on a shared computer, not accepted
    other = make_user()
    response = login(client, other.email)
    assert response.headers["Location"] == "/"


def test_expired_invitation_cannot_be_accepted_through_join(client, db, kring, make_user):
    community, moderator = kring
    invitee = make_user(email="laat@x.example")
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/invite", data={"email": invitee.email, "role": "member"})
    membership = _membership(db, invitee, community)
    membership.invitation_expires_at = membership.created_at - timedelta(days=1)
    db.session.commit()
    client.post("/logout")
    login(client, invitee.email)
    assert client.get(f"/c/{community.slug}").status_code == 404  # secret, invitation expired
    assert client.post(f"/c/{community.slug}/join").status_code == 404
    assert _membership(db, invitee, community).status == "invited"


def test_removed_member_cannot_return_with_an_old_link(app, client, db, outbox, kring, make_user):
    community, moderator = kring
    member = make_user(email="weg@x.example")
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/invite", data={"email": member.email, "role": "member"})
    path = _invitation_path(outbox[-1])
    member_client = app.test_client()
    login(member_client, member.email)
    member_client.post(f"/c/{community.slug}/join")  # accepts via the landing page
    assert _membership(db, member, community).status == "active"
    client.post(
        f"/c/{community.slug}/members/{member.id}/remove", data={"reason": "ALLEEN-VOOR-MODS"}
    )
    member_client.post(path)
    assert _membership(db, member, community).status == "removed"
    assert "ALLEEN-VOOR-MODS" not in member_client.get("/notifications").get_data(as_text=True)


def test_double_invitation_is_refused(client, db, kring):
    community, moderator = kring
    login(client, moderator.email)
    for _ in range(2):
        response = client.post(
            f"/c/{community.slug}/invite", data={"email": "dubbel@x.example", "role": "member"}
        )
    assert "al een uitnodiging open" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Invitation)).all()) == 1
    response = client.post(
        f"/c/{community.slug}/invite", data={"email": moderator.email, "role": "member"}
    )
    assert "jezelf" in response.get_data(as_text=True)
