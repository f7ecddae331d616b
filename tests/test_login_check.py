"""The login check in one statement (community/accounts/login_check.py) and the access
version raised with every change to a user's access (community/accounts/access_version.py).

Each revocation is checked with two clients: the change is made in one (the user's other
browser, a moderator or an administrator) and the other loses access on its very next
request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import g
from sqlalchemy import select, update

from community.accounts import access_version, login_check, two_factor
from community.models import Case, Membership, Notification, User
from community.models.base import utcnow
from community.notifications.services import unread_count
from tests.conftest import PASSWORD, count_queries, login

NEW_PASSWORD = "een-nieuw-en-lang-wachtwoord"


def _version(db: Any, user: User) -> int:
    return int(db.session.scalar(select(User.access_version).where(User.id == user.id)))


def _sql(statements: list[str]) -> list[str]:
    # SQLite begins its transactions with an explicit BEGIN (community/sqlite.py).
    return [s for s in statements if s != "BEGIN"]


# (a) One statement ---------------------------------------------------------------------


@pytest.mark.parametrize("communities", [1, 20])
def test_a_logged_in_page_runs_one_statement(
    app, client, db, logged_in, make_community, make_membership, communities
):
    user = logged_in()
    for _ in range(communities):
        make_membership(user, make_community())
    db.session.add(Notification(recipient_id=user.id, kind="request_approved"))
    db.session.commit()
    client.get("/privacy")  # registers nothing new: the session row exists since login
    with count_queries(app) as statements:
        page = client.get("/privacy")
    assert page.status_code == 200
    assert "ongelezen" in page.get_data(as_text=True)  # the header's count is there
    assert len(_sql(statements)) == 1, statements


def test_the_statement_reads_the_memberships_the_policy_needs(
    app, client, db, logged_in, make_community, make_membership
):
    user = logged_in()
    member_of, invited_to, left = make_community(), make_community(), make_community()
    make_membership(user, member_of, role="expert", follow="mine")
    make_membership(user, invited_to, status="invited")
    make_membership(user, left, status="left")
    with app.test_request_context():
        found = login_check.run(user.id, "")
        assert found is not None
        rows = found.user.memberships_by_community()
        assert {cid: (m.status, m.role) for cid, m in rows.items()} == {
            member_of.id: ("active", "expert"),
            invited_to.id: ("invited", "member"),
            left.id: ("left", "member"),
        }
        assert rows[member_of.id].follow == "mine"
        assert rows[invited_to.id].invitation_expires_at > utcnow()
        assert rows[member_of.id].community.id == member_of.id


def test_a_browser_without_a_session_row_gets_one(app, client, db, logged_in):
    from community.models import UserSession

    user = logged_in()
    db.session.execute(update(UserSession).values(token="elsewhere"))
    db.session.commit()
    assert client.get("/account").status_code == 200
    assert db.session.scalar(
        select(UserSession.id).where(
            UserSession.user_id == user.id, UserSession.token != "elsewhere"
        )
    )


# (b, d) Revocation on the next request, and the access version --------------------------


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community()
    moderator = make_user(name="Moderator")
    make_membership(moderator, community, role="moderator")
    admin = make_user(platform_role="admin")
    return community, moderator, admin


def _client(app: Any, user: User) -> Any:
    browser = app.test_client()
    response = login(browser, user.email)
    assert response.status_code == 302, response.data
    return browser


def _members(community: Any) -> str:
    return f"/c/{community.slug}/members"


def _leave(ctx: dict[str, Any]) -> None:
    ctx["a"].post(f"/c/{ctx['community'].slug}/leave")


def _remove(ctx: dict[str, Any]) -> None:
    ctx["moderator"].post(
        f"/c/{ctx['community'].slug}/members/{ctx['user'].id}/remove", data={"reason": "Weg"}
    )


def _approve(ctx: dict[str, Any]) -> None:
    ctx["moderator"].post(
        f"/c/{ctx['community'].slug}/requests/{ctx['membership'].id}/approve",
        data={"message": "Welkom"},
    )


def _accept_invitation(ctx: dict[str, Any]) -> None:
    ctx["a"].post(f"/c/{ctx['community'].slug}/join")


def _demote(ctx: dict[str, Any]) -> None:
    ctx["moderator"].post(
        f"/c/{ctx['community'].slug}/members/{ctx['user'].id}/role", data={"role": "member"}
    )


def _block(ctx: dict[str, Any]) -> None:
    ctx["admin"].post(f"/admin/accounts/{ctx['user'].id}/suspend", data={"reason": "Misbruik"})


def _erase(ctx: dict[str, Any]) -> None:
    ctx["admin"].post(f"/admin/accounts/{ctx['user'].id}/delete", data={"reason": "Verzoek"})


def _reset_2fa(ctx: dict[str, Any]) -> None:
    ctx["admin"].post(f"/admin/accounts/{ctx['user'].id}/reset-2fa")


def _change_password(ctx: dict[str, Any]) -> None:
    response = ctx["a"].post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.data


def _end_sessions(ctx: dict[str, Any]) -> None:
    ctx["a"].post("/account/sessions/end")


def _logout(ctx: dict[str, Any]) -> None:
    ctx["a"].post("/logout")


# name: (membership before (status, role) or None, the change, the URL B asks next,
#        B's status code before, after)
Event = tuple[tuple[str, str] | None, Callable[[dict[str, Any]], None], str, int, int]
EVENTS: dict[str, Event] = {
    "leave": (("active", "member"), _leave, "members", 200, 404),
    "removed by a moderator": (("active", "member"), _remove, "members", 200, 404),
    "join request approved": (("requested", "member"), _approve, "members", 404, 200),
    "invitation accepted": (("invited", "expert"), _accept_invitation, "members", 404, 200),
    "role changed": (("active", "moderator"), _demote, "settings", 200, 403),
    "account blocked": (("active", "member"), _block, "account", 200, 302),
    "account erased": (("active", "member"), _erase, "account", 200, 302),
    "second factor reset": (("active", "moderator"), _reset_2fa, "account", 200, 302),
    "password changed": (("active", "member"), _change_password, "account", 200, 302),
    "all other sessions ended": (("active", "member"), _end_sessions, "account", 200, 302),
    "logout": (("active", "member"), _logout, "account", 200, 302),
}


@pytest.mark.parametrize("event", list(EVENTS))
def test_each_change_takes_effect_on_the_next_request_and_raises_the_version(
    app, db, kring, make_user, make_membership, event
):
    community, moderator, admin = kring
    before, change, where, status_before, status_after = EVENTS[event]
    user = make_user(name="Betrokkene")
    membership = None
    if before is not None:
        status, role = before
        membership = make_membership(user, community, role=role, status=status)
    ctx = {
        "community": community,
        "user": user,
        "membership": membership,
        "a": _client(app, user),
        "moderator": _client(app, moderator),
        "admin": _client(app, admin),
    }
    b = _client(app, user)
    url = {
        "members": _members(community),
        "settings": f"/c/{community.slug}/settings",
        "account": "/account",
    }[where]
    assert b.get(url).status_code == status_before
    version = _version(db, user)
    change(ctx)
    assert _version(db, user) > version, event
    response = b.get(url)
    assert response.status_code == status_after, event
    if status_after == 302:
        assert response.headers["Location"].startswith("/login")


def test_enabling_the_second_factor_raises_the_version(app, db, make_user):
    user = make_user()
    version = _version(db, user)
    secret = two_factor.new_secret()
    with app.test_request_context():
        two_factor.enable(user, secret, PASSWORD, pyotp.TOTP(secret).now(), None)
        db.session.commit()
    assert _version(db, user) > version


def test_approving_an_account_and_a_platform_role_raise_the_version(
    app, client, db, make_user, kring
):
    _community, _moderator, admin = kring
    pending = make_user(status="pending")
    version = _version(db, pending)
    login(client, admin.email)
    client.post(f"/admin/accounts/{pending.id}/approve")
    assert db.session.scalar(select(User.status).where(User.id == pending.id)) == "active"
    assert _version(db, pending) > version
    account = db.session.get(User, pending.id)
    account.platform_role = "admin"
    db.session.commit()
    assert _version(db, pending) > version + 1


def test_bulk_membership_changes_raise_the_version_of_the_rows_they_change(
    app, db, make_user, make_community, make_membership
):
    changed, untouched = make_user(), make_user()
    community = make_community()
    make_membership(changed, community)
    make_membership(untouched, community, status="left")
    versions = (_version(db, changed), _version(db, untouched))
    db.session.execute(
        update(Membership)
        .where(Membership.community_id == community.id, Membership.status == "active")
        .values(status="removed")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert _version(db, changed) == versions[0] + 1
    assert _version(db, untouched) == versions[1]


def test_changes_that_do_not_touch_access_leave_the_version(
    app, client, db, logged_in, make_community, make_membership
):
    user = logged_in()
    community = make_community()
    membership = make_membership(user, community)
    version = _version(db, user)
    client.get("/account")
    client.post("/account", data={"name": "Nieuwe Naam", "email_mode": "daily"})
    membership.follow = "mine"
    db.session.commit()
    assert _version(db, user) == version


# (c) The unread count equals unread_count ----------------------------------------------


def _counts(app: Any, user: User) -> tuple[int, int]:
    """(the login check's count, unread_count's own query) for the user."""
    with app.test_request_context():
        found = login_check.run(user.id, "")
        assert found is not None
        in_statement = login_check.unread_count(user.id)
        assert in_statement is not None
        g.pop(access_version.PER_REQUEST)
        g.pop("leerkring_memberships")
        assert login_check.unread_count(user.id) is None
        return in_statement, unread_count(found.user)


def test_the_unread_count_is_the_one_unread_count_gives(
    app, client, db, make_user, make_community, make_membership, make_case
):
    kept, left, moderated, elsewhere = (make_community() for _ in range(4))
    member = make_user()
    moderator = make_user()
    admin = make_user(platform_role="admin")
    no_second_factor = make_user()
    author = make_user()
    make_membership(member, kept)
    make_membership(member, left, status="left")
    make_membership(moderator, moderated, role="moderator")
    make_membership(moderator, kept)
    make_membership(no_second_factor, moderated, role="moderator", second_factor=False)
    make_membership(no_second_factor, kept)
    for community in (kept, moderated, elsewhere):
        make_membership(author, community)
    hidden_kept = make_case(kept, author, hidden_at=utcnow())
    hidden_moderated = make_case(moderated, author, hidden_at=utcnow())
    visible = make_case(kept, author)
    recipients = (member, moderator, admin, no_second_factor, author)
    for user in recipients:
        for community in (kept, left, moderated, elsewhere, None):
            for kind in ("case_published", "join_requested", "expert_request_overdue", "removed"):
                for target in (None, hidden_kept, hidden_moderated, visible):
                    db.session.add(
                        Notification(
                            recipient_id=user.id,
                            kind=kind,
                            community_id=community.id if community else None,
                            target_type="cases" if target else None,
                            target_id=target.id if target else None,
                        )
                    )
    db.session.add(
        Notification(recipient_id=member.id, kind="removed", read_at=utcnow())  # read
    )
    db.session.commit()
    counts = {user.id: _counts(app, user) for user in recipients}
    for in_statement, today in counts.values():
        assert in_statement == today
    assert len({today for _, today in counts.values()}) > 2  # the cases differ
    # The header shows it: the member left a community, its notifications are not counted.
    login(client, member.email)
    expected = counts[member.id][0]
    assert f'<span class="count-badge">{expected}<span' in client.get("/privacy").get_data(
        as_text=True
    )


def test_the_unread_count_stops_at_the_bound(app, db, make_user):
    from community.notifications.services import UNREAD_SHOWN

    user = make_user()
    for _ in range(UNREAD_SHOWN + 5):
        db.session.add(Notification(recipient_id=user.id, kind="removed"))
    db.session.commit()
    assert _counts(app, user) == (UNREAD_SHOWN + 1, UNREAD_SHOWN + 1)


def test_a_count_read_earlier_in_the_request_is_dropped_when_notifications_change(
    app, db, make_user
):
    from community.notifications.services import mark_read

    user = make_user()
    db.session.add(Notification(recipient_id=user.id, kind="removed"))
    db.session.commit()
    with app.test_request_context():
        found = login_check.run(user.id, "")
        assert found is not None
        assert unread_count(found.user) == 1
        mark_read(found.user, None)
        assert unread_count(found.user) == 0
        db.session.add(Notification(recipient_id=user.id, kind="removed"))
        db.session.flush()
        assert unread_count(found.user) == 1
        db.session.rollback()


def test_hidden_case_of_a_moderated_community_counts_for_its_moderator(
    app, db, make_user, make_community, make_membership, make_case
):
    community = make_community()
    moderator, author = make_user(), make_user()
    make_membership(moderator, community, role="moderator")
    make_membership(author, community)
    case = make_case(community, author, hidden_at=utcnow())
    assert db.session.get(Case, case.id).hidden_at is not None
    db.session.add(
        Notification(
            recipient_id=moderator.id,
            kind="case_published",
            community_id=community.id,
            target_type="cases",
            target_id=case.id,
        )
    )
    db.session.commit()
    assert _counts(app, moderator) == (1, 1)
