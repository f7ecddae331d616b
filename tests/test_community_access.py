"""Sweep every community-scoped route: anonymous -> login, outsiders -> 404, members -> 403."""

from __future__ import annotations

import pytest
from flask import url_for

from tests.conftest import login

# Every endpoint with a community slug in its URL, and the least a user needs there.
# "visible": anyone who may know the community (closed: every active user);
# "member": active members (and acting admins); "moderator": moderators (and admins);
# "author": only the author of the object in the URL.
# A new community route fails this test until it is classified here.
COMMUNITY_ENDPOINTS = {
    "communities.show_community": "visible",
    "communities.join_community": "visible",
    "communities.leave_community": "member",
    "communities.set_follow": "member",
    "communities.edit_community": "moderator",
    "communities.archive_community": "moderator",
    "members.list_members": "member",
    "members.approve_request": "moderator",
    "members.decline_request": "moderator",
    "members.change_role": "moderator",
    "members.remove_member": "moderator",
    "members.invite_member": "moderator",
    "members.revoke_invitation": "moderator",
    "members.show_history": "moderator",
    "cases.new_case": "member",
    "cases.show_case": "member",
    "cases.edit_case": "member",  # the case author (a plain member here) or a moderator
    "cases.case_history": "member",
    "cases.move_case": "member",
    "cases.confirm_close": "member",  # the case author or a moderator, in the reflection phase
    "cases.request_experts": "member",
    "contributions.add_contribution": "member",
    "contributions.edit_contribution": "author",  # only the contribution's own author
    "contributions.mark_valuable": "member",
    "contributions.show_contribution": "member",
    "contributions.reply_to_contribution": "member",  # when the phase lets them post (else 403)
    "contributions.appreciate_contribution": "member",  # not their own (403)
    "contributions.preview_contribution": "member",  # when the phase lets them post (else 403)
    "cases.write_follow_up": "member",  # the case author, once the case is closed
    "approaches.new_approach": "member",
    "moderation.lock_case": "moderator",
    "moderation.move_case": "moderator",
    "moderation.community_audit": "moderator",
    "meetings.new_meeting": "moderator",
    "meetings.show_meeting": "member",
    "meetings.edit_meeting": "moderator",
    "meetings.rsvp": "member",
    "meetings.write_report": "moderator",
    "meetings.meeting_ics": "member",
}

# GET routes that answer with a redirect to a page of their own (a lasting link).
REDIRECTS = {"contributions.show_contribution"}


def _community_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "slug" in rule.arguments]


def _url(app, rule, slug: str, ids: dict[str, int]) -> str:
    values = {name: ids.get(name, 1) for name in rule.arguments if name != "slug"}
    with app.test_request_context():
        return url_for(rule.endpoint, slug=slug, **values)


def _requests(app, slug: str, ids: dict[str, int]):
    for rule in _community_rules(app):
        url = _url(app, rule, slug, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_every_community_route_is_classified(app):
    assert {rule.endpoint for rule in _community_rules(app)} == set(COMMUNITY_ENDPOINTS)


@pytest.fixture
def world(make_community, make_membership, make_user, make_case, make_contribution, make_meeting):
    secret = make_community(visibility="secret")
    closed = make_community(visibility="closed")
    moderator = make_user()
    member = make_user()
    target = make_user()
    for community in (secret, closed):
        make_membership(moderator, community, role="moderator")
        make_membership(member, community)
    request = make_membership(target, secret, status="requested")
    active = make_user()  # the member whose role changes or who is removed
    make_membership(active, secret)
    # In the reflection phase: the case may be closed, and members may still reply.
    case = make_case(secret, member, phase="reflection")
    contribution = make_contribution(case, moderator, kind="question")
    meeting = make_meeting(secret, title="Bijeenkomst")
    ids = {
        "membership_id": request.id,
        "user_id": active.id,
        "invitation_id": 1,
        "case_id": case.id,
        "contribution_id": contribution.id,
        "meeting_id": meeting.id,
    }
    return {
        "secret": secret,
        "closed": closed,
        "moderator": moderator,
        "member": member,
        "ids": ids,
        "case": case,
        "contribution": contribution,
    }


def test_anonymous_visitors_go_to_login(client, world):
    for endpoint, method, url in _requests(client.application, world["secret"].slug, world["ids"]):
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method)
        assert response.headers["Location"].startswith("/login"), endpoint


@pytest.mark.parametrize("status", [None, "requested", "invited", "declined", "removed", "left"])
def test_outsiders_get_the_404_of_a_missing_community(
    client, world, make_user, make_membership, status
):
    outsider = make_user()
    if status:
        make_membership(outsider, world["secret"], status=status)
    login(client, outsider.email)
    app = client.application
    missing = {
        (endpoint, method): client.open(url, method=method)
        for endpoint, method, url in _requests(app, "bestaat-niet", world["ids"])
    }
    for endpoint, method, url in _requests(app, world["secret"].slug, world["ids"]):
        if status == "invited" and COMMUNITY_ENDPOINTS[endpoint] == "visible":
            continue  # an invited user sees the landing page with the invitation
        response = client.open(url, method=method)
        assert response.status_code == 404, (endpoint, method, status)
        assert response.get_data() == missing[(endpoint, method)].get_data(), endpoint


def test_outsiders_of_a_closed_community_see_only_the_landing(client, world, make_user):
    outsider = make_user()
    login(client, outsider.email)
    for endpoint, method, url in _requests(client.application, world["closed"].slug, world["ids"]):
        response = client.open(url, method=method)
        if COMMUNITY_ENDPOINTS[endpoint] == "visible":
            assert response.status_code in {200, 302}, (endpoint, method)
        else:
            assert response.status_code == 404, (endpoint, method)


def test_members_get_403_on_moderator_routes(client, world):
    login(client, world["member"].email)
    for endpoint, method, url in _requests(client.application, world["secret"].slug, world["ids"]):
        if COMMUNITY_ENDPOINTS[endpoint] != "moderator":
            continue
        assert client.open(url, method=method).status_code == 403, (endpoint, method)


def test_moderators_reach_every_route(client, world):
    login(client, world["moderator"].email)
    for endpoint, method, url in _requests(client.application, world["secret"].slug, world["ids"]):
        if method != "GET" or COMMUNITY_ENDPOINTS[endpoint] == "author":
            continue
        response = client.open(url, method=method, follow_redirects=endpoint in REDIRECTS)
        assert response.status_code == 200, endpoint


def test_secret_community_never_appears_to_outsiders(client, world, make_user):
    secret = world["secret"]
    outsider = make_user()
    login(client, outsider.email)
    for path in ("/communities", "/", "/notifications", f"/people/{world['member'].id}"):
        assert secret.name not in client.get(path).get_data(as_text=True), path
