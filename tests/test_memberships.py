"""The membership life cycle: requests, decisions, roles, removal, leaving."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.models import AuditEvent, Membership, Notification
from tests.conftest import login


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Vitale binnensteden", description="Geheime plannen van Venlo")
    moderator = make_user(name="Mo Derator", email="mo@venlo.nl")
    make_membership(moderator, community, role="moderator")
    return community, moderator


def _membership(db, user, community) -> Membership:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.community_id == community.id
        )
    )


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_join_request_notifies_moderators(client, db, outbox, logged_in, kring):
    community, moderator = kring
    user = logged_in(name="Sanne")
    response = client.post(
        f"/c/{community.slug}/join", data={"motivation": "Wij hebben leegstand."}
    )
    assert response.headers["Location"] == f"/c/{community.slug}"
    membership = _membership(db, user, community)
    assert (membership.status, membership.motivation) == ("requested", "Wij hebben leegstand.")
    note = db.session.scalar(select(Notification).where(Notification.recipient_id == moderator.id))
    assert note.kind == "join_requested"
    mail = next(m for m in outbox if m["To"] == moderator.email)
    body = mail.get_content()
    assert "Sanne" in body
    assert "Vitale binnensteden" in body
    assert "/c/" in body
    assert "Geheime plannen" not in body
    assert "leegstand" not in body
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Je aanvraag loopt" in page


def test_second_open_request_is_refused(client, db, logged_in, kring):
    community, _ = kring
    logged_in()
    client.post(f"/c/{community.slug}/join", data={"motivation": "Eerste"})
    response = client.post(
        f"/c/{community.slug}/join", data={"motivation": "Tweede"}, follow_redirects=True
    )
    assert "al een aanvraag" in response.get_data(as_text=True)
    assert _count(db, Membership, Membership.status == "requested") == 1


def test_motivation_is_required_and_bounded(client, db, logged_in, kring):
    community, _ = kring
    logged_in()
    for motivation in ("", "x" * 1001):
        response = client.post(f"/c/{community.slug}/join", data={"motivation": motivation})
        assert response.status_code == 200
        assert 'id="motivation-error"' in response.get_data(as_text=True)
    assert _count(db, Membership, Membership.status == "requested") == 0


def test_approve_and_decline_with_message(app, client, db, outbox, logged_in, kring, make_user):
    community, moderator = kring
    applicant = make_user(name="Aanvrager")
    other = make_user(name="Tweede")
    for person in (applicant, other):
        c = app.test_client()
        login(c, person.email)
        c.post(f"/c/{community.slug}/join", data={"motivation": "Graag"})
    login(client, moderator.email)
    page = client.get(f"/c/{community.slug}/members").get_data(as_text=True)
    assert "Aanvrager" in page
    assert "Graag" in page
    first = _membership(db, applicant, community)
    second = _membership(db, other, community)
    client.post(f"/c/{community.slug}/requests/{first.id}/approve", data={"message": "Welkom"})
    client.post(f"/c/{community.slug}/requests/{second.id}/decline", data={"message": "Niet nu"})
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.status, first.decided_by_id) == ("active", moderator.id)
    assert (second.status, second.decision_message) == ("declined", "Niet nu")
    assert {m["To"] for m in outbox} >= {applicant.email, other.email}
    actions = set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.community_id == community.id))
    )
    assert {"membership.requested", "membership.approved", "membership.declined"} <= actions
    # The declined user may ask again.
    c = app.test_client()
    login(c, other.email)
    assert "Niet nu" in c.get(f"/c/{community.slug}").get_data(as_text=True)
    c.post(f"/c/{community.slug}/join", data={"motivation": "Nu wel?"})
    db.session.refresh(second)
    assert second.status == "requested"


def test_concurrent_approvals_give_one_membership_and_one_notification(
    app, db, kring, make_user, make_membership
):
    """Two moderators load the same open request; both press approve."""
    import contextvars

    from community.communities import memberships
    from community.exceptions import DomainError
    from community.models import User

    community, moderator = kring
    second_moderator = make_user()
    make_membership(second_moderator, community, role="moderator")
    applicant = make_user()
    request = make_membership(applicant, community, status="requested")
    moderator_id, request_id = moderator.id, request.id
    db.session.commit()

    def first_moderator_approves() -> None:
        with app.test_request_context():
            actor = db.session.get(User, moderator_id)
            memberships.decide_request(
                actor, db.session.get(Membership, request_id), True, "", None
            )
            db.session.commit()
            db.session.remove()

    contextvars.Context().run(first_moderator_approves)
    from sqlalchemy.orm.attributes import set_committed_value

    stale = db.session.get(Membership, request_id)
    assert stale.status == "active"
    set_committed_value(stale, "status", "requested")  # what the second moderator had loaded
    with app.test_request_context(), pytest.raises(DomainError):
        memberships.decide_request(second_moderator, stale, True, "", None)
    db.session.rollback()
    assert _count(db, Membership, Membership.user_id == applicant.id) == 1
    assert _count(db, Notification, Notification.recipient_id == applicant.id) == 1


def test_roles_removal_and_the_last_moderator(
    app, client, db, logged_in, kring, make_user, make_membership
):
    community, moderator = kring
    member = make_user()
    make_membership(member, community)
    member_client = app.test_client()
    login(member_client, member.email)
    assert member_client.get(f"/c/{community.slug}/members").status_code == 200
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/members/{member.id}/role", data={"role": "expert"})
    assert _membership(db, member, community).role == "expert"
    # The last moderator cannot demote themself (not allowed on self), remove or leave.
    assert (
        client.post(
            f"/c/{community.slug}/members/{moderator.id}/role", data={"role": "member"}
        ).status_code
        == 403
    )
    response = client.post(f"/c/{community.slug}/leave", follow_redirects=True)
    assert "laatste moderator" in response.get_data(as_text=True)
    assert _membership(db, moderator, community).status == "active"
    # Removal takes effect on the member's very next request.
    client.post(
        f"/c/{community.slug}/members/{member.id}/remove",
        data={"reason": "Vertrokken bij gemeente"},
    )
    assert _membership(db, member, community).status == "removed"
    assert member_client.get(f"/c/{community.slug}/members").status_code == 404
    assert member_client.get(f"/c/{community.slug}").status_code == 200  # closed: landing only
    history = client.get(f"/c/{community.slug}/history").get_data(as_text=True)
    assert "lid verwijderd" in history
    assert "Vertrokken bij gemeente" in history


def test_removed_member_of_a_secret_community_gets_404(
    app, client, db, kring, make_user, make_membership
):
    community, moderator = kring
    community.visibility = "secret"
    db.session.commit()
    member = make_user()
    make_membership(member, community)
    member_client = app.test_client()
    login(member_client, member.email)
    assert member_client.get(f"/c/{community.slug}").status_code == 200
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/members/{member.id}/remove", data={})
    assert member_client.get(f"/c/{community.slug}").status_code == 404


def test_demoting_the_last_other_moderator_is_refused(
    client, db, logged_in, make_community, make_membership, make_user
):
    community = make_community()
    admin = logged_in(platform_role="admin")
    only = make_user()
    make_membership(only, community, role="moderator")
    response = client.post(
        f"/c/{community.slug}/members/{only.id}/role",
        data={"role": "member"},
        follow_redirects=True,
    )
    assert "minstens één moderator" in response.get_data(as_text=True)
    response = client.post(f"/c/{community.slug}/members/{only.id}/remove", follow_redirects=True)
    assert "laatste moderator" in response.get_data(as_text=True)
    assert _membership(db, only, community).status == "active"
    assert admin.platform_role == "admin"


def test_member_leaves(client, db, logged_in, kring, make_membership):
    community, _ = kring
    user = logged_in()
    make_membership(user, community)
    response = client.post(f"/c/{community.slug}/leave")
    assert response.headers["Location"] == "/communities"
    assert _membership(db, user, community).status == "left"
    assert client.get(f"/c/{community.slug}/members").status_code == 404


def test_moderator_of_b_cannot_act_in_a(
    client, db, logged_in, kring, make_community, make_membership, make_user
):
    community_a, _ = kring
    community_b = make_community()
    outsider_moderator = logged_in()
    make_membership(outsider_moderator, community_b, role="moderator")
    applicant = make_user()
    request = make_membership(applicant, community_a, status="requested")
    member = make_user()
    make_membership(member, community_a)
    slug_a = community_a.slug
    assert client.post(f"/c/{slug_a}/requests/{request.id}/approve").status_code == 404
    assert client.post(f"/c/{slug_a}/members/{member.id}/remove").status_code == 404
    assert (
        client.post(f"/c/{slug_a}/members/{member.id}/role", data={"role": "moderator"}).status_code
        == 404
    )
    # Through B's URL, A's rows are not found either.
    assert client.post(f"/c/{community_b.slug}/requests/{request.id}/approve").status_code == 404
    assert client.post(f"/c/{community_b.slug}/members/{member.id}/remove").status_code == 404
    db.session.expire_all()
    assert _membership(db, applicant, community_a).status == "requested"
    assert _membership(db, member, community_a).status == "active"


def test_mass_assignment_changes_nothing(client, db, logged_in, kring, make_community):
    community, _ = kring
    user = logged_in()
    client.post(
        f"/c/{community.slug}/join",
        data={
            "motivation": "Graag",
            "role": "moderator",
            "status": "active",
            "community_id": 999,
            "user_id": 1,
        },
    )
    membership = _membership(db, user, community)
    assert (membership.role, membership.status) == ("member", "requested")
    client.post(
        "/account",
        data={
            "name": "X",
            "locale": "nl",
            "email_mode": "each",
            "platform_role": "admin",
            "status": "active",
        },
    )
    db.session.refresh(user)
    assert user.name == "X"  # the form was accepted...
    assert (user.platform_role, user.status) == ("member", "active")  # ...and nothing else changed


def test_admin_acts_as_moderator_without_reading_content(
    client, db, logged_in, kring, make_user, make_membership
):
    community, _ = kring
    applicant = make_user()
    request = make_membership(applicant, community, status="requested")
    logged_in(platform_role="admin")
    assert client.get(f"/c/{community.slug}/members").status_code == 200
    client.post(f"/c/{community.slug}/requests/{request.id}/approve")
    assert _membership(db, applicant, community).status == "active"
    home = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert 'id="cases-title"' not in home  # the admin sees the landing, not the content
    assert "Lidmaatschap aanvragen" in home
    assert "Lidmaatschap aanvragen" in home


def test_suspended_moderator_does_not_count_as_the_other_moderator(
    client, db, logged_in, kring, make_user, make_membership
):
    community, moderator = kring
    suspended = make_user(status="suspended")
    make_membership(suspended, community, role="moderator")
    login(client, moderator.email)
    response = client.post(f"/c/{community.slug}/leave", follow_redirects=True)
    assert "laatste moderator" in response.get_data(as_text=True)
    assert _membership(db, moderator, community).status == "active"


def test_archived_community_refuses_decisions(client, db, kring, make_user, make_membership):
    from community.models.base import utcnow

    community, moderator = kring
    applicant = make_user()
    request = make_membership(applicant, community, status="requested")
    member = make_user()
    make_membership(member, community)
    community.archived_at = utcnow()
    db.session.commit()
    login(client, moderator.email)
    slug = community.slug
    assert client.post(f"/c/{slug}/requests/{request.id}/approve").status_code == 403
    assert (
        client.post(f"/c/{slug}/members/{member.id}/role", data={"role": "expert"}).status_code
        == 403
    )
    assert client.post(f"/c/{slug}/settings", data={"name": "X"}).status_code == 403
    assert client.get(f"/c/{slug}/settings").status_code == 200  # to make it active again
    client.post(f"/c/{slug}/archive", data={"archived": "0"})
    db.session.refresh(community)
    assert community.archived_at is None
    assert _membership(db, applicant, community).status == "requested"


def test_admin_cannot_let_themself_in(client, db, logged_in, kring):
    community, _ = kring
    admin = logged_in(platform_role="admin")
    client.post(f"/c/{community.slug}/join", data={"motivation": "Ik ben beheerder"})
    request = _membership(db, admin, community)
    assert request.status == "requested"
    assert client.post(f"/c/{community.slug}/requests/{request.id}/approve").status_code == 403
    assert _membership(db, admin, community).status == "requested"


def test_members_page_shows_the_oldest_join_requests(
    client, make_community, make_user, make_membership, monkeypatch
):
    from datetime import timedelta

    from community.communities import queries
    from community.models.base import utcnow

    community = make_community()
    moderator = make_user()
    make_membership(moderator, community, role="moderator")
    for n in range(3):
        make_membership(
            make_user(name=f"Aanvrager {n}"),
            community,
            status="requested",
            updated_at=utcnow() - timedelta(hours=3 - n),
        )
    monkeypatch.setattr(queries, "REQUESTS_SHOWN", 2)
    login(client, moderator.email)
    page = client.get(f"/c/{community.slug}/members").get_data(as_text=True)
    assert "Aanvrager 0" in page
    assert "Aanvrager 1" in page
    assert "Aanvrager 2" not in page
    assert "De oudste 2 aanvragen" in page
