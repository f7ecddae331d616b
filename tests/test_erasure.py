"""Account deletion: the person is erased everywhere; content stays anonymous or goes."""

from __future__ import annotations

from sqlalchemy import select

from community.models import AuditEvent, Contribution, Membership, OutboxMessage, User
from tests.conftest import PASSWORD, login


def test_user_deletes_their_account_and_their_name_is_gone(
    app, client, db, make_community, make_membership, make_user, make_case, make_contribution
):
    community = make_community()
    person = make_user(name="Gerrit Geheimnaam", job_title="Wethouder")
    other = make_user()
    make_membership(person, community)
    make_membership(other, community)
    case = make_case(community, other, phase="questions", title="Casus")
    contribution = make_contribution(case, person, kind="question", body="Mijn vraag blijft staan")
    db.session.add(OutboxMessage(recipient=person.email, subject="s", body="b"))
    db.session.commit()
    login(client, person.email)
    wrong = client.post(
        "/account/delete", data={"password": "fout-fout-fout", "contributions": "keep"}
    )
    assert 'id="password-error"' in wrong.get_data(as_text=True)
    response = client.post("/account/delete", data={"password": PASSWORD, "contributions": "keep"})
    assert response.headers["Location"] == "/login"
    stored = db.session.get(User, person.id)
    assert stored.status == "deleted"
    assert stored.name == "Verwijderde deelnemer"
    assert "Gerrit" not in stored.email
    assert stored.job_title == ""
    assert db.session.get(Contribution, contribution.id).body == "Mijn vraag blijft staan"
    assert (
        db.session.scalar(select(Membership.status).where(Membership.user_id == person.id))
        == "left"
    )
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "x")) is None
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert login(client, person.email).status_code == 200  # cannot log in any more
    login(client, other.email)
    page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert "Mijn vraag blijft staan" in page
    assert "Gerrit" not in page
    assert "Verwijderde deelnemer" in page
    assert "Gerrit" not in client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Gerrit" not in client.get("/search", query_string={"q": "vraag"}).get_data(as_text=True)
    assert "Gerrit" not in client.get("/account/export").get_data(as_text=True)
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
        is not None
    )


def test_deleting_own_contributions_too(
    client, db, make_community, make_membership, make_user, make_case, make_contribution
):
    community = make_community()
    person, other = make_user(), make_user()
    make_membership(person, community)
    make_membership(other, community)
    case = make_case(community, other, phase="questions")
    contribution_id = make_contribution(case, person, kind="question").id
    login(client, person.email)
    client.post("/account/delete", data={"password": PASSWORD, "contributions": "delete"})
    db.session.expunge_all()
    assert db.session.get(Contribution, contribution_id) is None


def test_admin_deletes_with_a_reason(client, db, logged_in, make_user):
    person = make_user(name="Te Verwijderen")
    admin = logged_in(platform_role="admin")
    client.post(f"/admin/accounts/{person.id}/delete", data={"reason": ""})
    assert db.session.get(User, person.id).status == "active"
    client.post(f"/admin/accounts/{person.id}/delete", data={"reason": "Op verzoek"})
    assert db.session.get(User, person.id).status == "deleted"
    assert (
        client.post(f"/admin/accounts/{admin.id}/delete", data={"reason": "x"}).status_code == 403
    )


def test_deleting_the_account_removes_what_they_read(
    client, db, logged_in, make_community, make_membership, make_case, make_user
):
    from community.models import CaseRead

    user = logged_in()
    kring = make_community()
    make_membership(user, kring)
    case = make_case(kring, make_user())
    client.get(f"/c/{kring.slug}/cases/{case.id}")
    assert db.session.scalars(select(CaseRead).where(CaseRead.user_id == user.id)).all()
    client.post("/account/delete", data={"password": PASSWORD, "contributions": "keep"})
    db.session.expire_all()
    assert not db.session.scalars(select(CaseRead).where(CaseRead.user_id == user.id)).all()
