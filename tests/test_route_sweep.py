"""Sweep every route of the app, also those without a community slug in the URL.

Every endpoint is classified once here (public, any active user, administrators, or
an object route that derives its community from the object), or in
tests/test_community_access.py (routes with a community slug). A new route that is
classified nowhere fails `test_every_route_is_classified`.

Object routes are checked for every role: anonymous → login, an outsider of the
object's (secret) community → 404, a member without the role → 403, and the role
that may act reaches the route.
"""

from __future__ import annotations

import io

import pytest
from flask import url_for
from sqlalchemy import select

from community.models import Approach, Attachment, Case, Contribution, Flag
from community.models.base import utcnow
from community.security import FRONT_DOOR_ENDPOINTS, PUBLIC_ENDPOINTS
from tests.conftest import login
from tests.test_attachments import PDF
from tests.test_community_access import COMMUNITY_ENDPOINTS

# Any active user: their own account, and lists the policy scopes to what they may see.
USER_ENDPOINTS = {
    "accounts.edit_account",
    "accounts.setup_two_factor",
    "accounts.delete_account",
    "accounts.export_account",
    "accounts.export_account_zip",
    "accounts.change_password",
    "accounts.end_sessions",
    "accounts.logout",
    "accounts.show_person",  # active profiles only; never memberships the viewer lacks
    "meetings.renew_calendar_token",
    "cases.list_advice_requests",
    "approaches.list_approaches",
    "approaches.adoption_overview",
    "communities.list_communities",
    "notifications.list_notifications",
    "notifications.mark_read",
    "notifications.open_notification",  # the user's own notifications only (else 404)
    "search.search_page",
    "moderation.show_queue",  # the queue of the communities the user moderates (or none)
}

# Platform administration: administrators with two-step verification; others get 403.
ADMIN_ENDPOINTS = {
    "admin.list_accounts",
    "admin.approve_account",
    "admin.delete_account",
    "admin.reactivate_account",
    "admin.reset_two_factor",
    "admin.suspend_account",
    "admin.list_organisations",
    "admin.edit_organisation",
    "moderation.admin_audit",
    "communities.create_community",
}

# Routes whose community comes from the object in the URL (or form), and the least a
# user needs there: "member" of the object's community, its "moderator", or the
# object's "author".
OBJECT_ENDPOINTS = {
    "approaches.show_approach": "member",
    "approaches.approach_versions": "member",
    "approaches.adopt_approach": "member",
    "approaches.edit_approach": "author",
    "approaches.share_approach": "author",
    "approaches.approve_share": "moderator",
    "approaches.decline_share": "moderator",
    "approaches.withdraw_approach": "moderator",
    "files.download_file": "member",
    "moderation.new_flag": "member",
    "moderation.create_flag": "member",
    "moderation.hide": "moderator",
    "moderation.unhide": "moderator",
    "moderation.approve_contribution": "moderator",
    "moderation.resolve_flag": "moderator",
}


def _endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def test_every_route_is_classified(app):
    classified = [
        set(PUBLIC_ENDPOINTS),
        set(FRONT_DOOR_ENDPOINTS),  # public for visitors, the member's home when signed in
        set(COMMUNITY_ENDPOINTS),
        USER_ENDPOINTS,
        ADMIN_ENDPOINTS,
        set(OBJECT_ENDPOINTS),
    ]
    every = set().union(*classified)
    assert _endpoints(app) | {"static"} == every
    assert sum(len(group) for group in classified) == len(every)  # each in one group only


def test_the_home_page_is_the_front_door_for_visitors(client, logged_in):
    assert {"pages.home"} == FRONT_DOOR_ENDPOINTS
    visitor = client.get("/")
    assert visitor.status_code == 200
    assert 'href="/register"' in visitor.get_data(as_text=True)
    user = logged_in()
    page = client.get("/").get_data(as_text=True)
    assert f"Welkom, {user.name}" in page


@pytest.fixture
def world(app, client, db, tmp_path, make_community, make_membership, make_user):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    secret = make_community(visibility="secret")
    author, member, moderator = make_user(), make_user(), make_user()
    make_membership(author, secret)
    make_membership(member, secret)
    make_membership(moderator, secret, role="moderator")
    login(client, author.email)
    response = client.post(
        f"/c/{secret.slug}/cases/new",
        data={
            "title": "Casus met bijlage",
            "theme": 0,
            "context": "Context",
            "question": "Vraag?",
            "action": "publish",
            "attachment": (io.BytesIO(PDF), "rapport.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    client.post("/logout")
    case = db.session.scalar(select(Case))
    contribution = Contribution(
        case_id=case.id,
        author_id=author.id,
        kind="question",
        phase=case.phase,
        body="Een vraag",
        body_html="<p>Een vraag</p>",
        pending_review=True,
    )
    approach = Approach(
        community_id=secret.id,
        author_id=author.id,
        organisation_id=author.organisation_id,
        title="Een aanpak",
        scope="library",
        library_requested_at=utcnow(),
    )
    db.session.add_all([contribution, approach])
    db.session.flush()
    flag = Flag(
        reporter_id=member.id,
        community_id=secret.id,
        target_type="contribution",
        target_id=contribution.id,
        reason="other",
    )
    db.session.add(flag)
    db.session.commit()
    values = {
        "approach_id": approach.id,
        "attachment_id": db.session.scalar(select(Attachment.id)),
        "kind": "contribution",
        "object_id": contribution.id,
        "flag_id": flag.id,
    }
    with app.test_request_context():
        urls = {
            rule.endpoint: url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})
            for rule in app.url_map.iter_rules()
            if rule.endpoint in OBJECT_ENDPOINTS
        }
    urls["moderation.new_flag"] += f"?target=contribution:{contribution.id}"
    return {
        "urls": urls,
        "author": author,
        "member": member,
        "moderator": moderator,
        "form": {"target": f"contribution:{contribution.id}", "reason": "other"},
    }


def _requests(app, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OBJECT_ENDPOINTS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, world["urls"][rule.endpoint]


def _open(client, method, url, world):
    response = client.open(url, method=method, data=world["form"] if method == "POST" else None)
    response.close()  # a download streams its file
    return response


def test_anonymous_visitors_go_to_login(app, client, world):
    for endpoint, method, url in _requests(app, world):
        response = _open(client, method, url, world)
        assert response.status_code == 302, (endpoint, method)
        assert response.headers["Location"].startswith("/login"), endpoint


@pytest.mark.parametrize("status", [None, "requested", "invited", "removed", "left"])
def test_outsiders_get_404_on_every_object_route(
    app, client, world, make_user, make_membership, make_community, status
):
    outsider = make_user()
    if status:
        community = world["author"].memberships_by_community()
        make_membership(outsider, next(iter(community.values())).community, status=status)
    login(client, outsider.email)
    for endpoint, method, url in _requests(app, world):
        response = _open(client, method, url, world)
        assert response.status_code == 404, (endpoint, method, status)


def test_members_without_the_role_get_403(app, client, world):
    login(client, world["member"].email)
    for endpoint, method, url in _requests(app, world):
        response = _open(client, method, url, world)
        if OBJECT_ENDPOINTS[endpoint] == "member":
            assert response.status_code in {200, 302}, (endpoint, method)
        else:
            assert response.status_code == 403, (endpoint, method)


def test_the_role_that_may_act_reaches_every_route(app, client, world):
    """GET pages answer 200 for the role they are for (POSTs change the world)."""
    for role in ("author", "moderator"):
        login(client, world[role].email)
        for endpoint, method, url in _requests(app, world):
            if method != "GET" or OBJECT_ENDPOINTS[endpoint] not in {"member", role}:
                continue
            assert _open(client, method, url, world).status_code == 200, (role, endpoint)
        client.post("/logout")


def test_non_admins_get_403_on_admin_routes(app, client, logged_in):
    logged_in()
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in ADMIN_ENDPOINTS:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: 1 for a in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert client.open(url, method=method).status_code == 403, (rule.endpoint, method)


@pytest.mark.parametrize("second_factor", [True, False])
def test_admin_routes_need_two_step_verification(app, client, logged_in, second_factor):
    logged_in(platform_role="admin", **({} if second_factor else {"totp_secret": None}))
    for endpoint in ("admin.list_accounts", "admin.list_organisations", "moderation.admin_audit"):
        with app.test_request_context():
            url = url_for(endpoint)
        assert client.get(url).status_code == (200 if second_factor else 403), endpoint
