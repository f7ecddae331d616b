"""Every page and form of every role, in English, shows no Dutch text from the catalogue.

A world that reaches every GET page is built through the real forms where that is how
people make it (cases, contributions, approaches, meetings, RSVPs, flags, invitations,
join requests), by people whose language is English (`locale="en"`; visitors send
`Accept-Language: en`). Then every GET route of `app.url_map` is fetched as each role
listed for it in `PAGES` (a new route fails `test_every_get_route_is_listed` until it is
listed there or in `SKIPPED` with a reason), every form is sent once with bad input, and
the pages after each successful POST (with their flash message) are read as well.

What counts as Dutch is described in tests/dutch_text.py: every catalogue msgid whose
English msgstr differs, cut into the pieces between placeholders and tags; phrases of two
or more words always, single words unless they are English words too. User content is
kept out by construction: every name, title and text in this world is English or a made-up
word that is in no msgid, so any Dutch piece on a page came from the application.

Also checked: `<html lang="en">` on every page, and the subject and body of every e-mail
to an English recipient (rendered under `force_locale` of that recipient).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from community.models import (
    Case,
    Contribution,
    Membership,
    Organisation,
    User,
)
from tests.dutch_text import dutch_in, dutch_in_plain
from tests.english_world import World, build_world

EN = {"Accept-Language": "en"}
HTML_LANG_EN = re.compile(r'<html[^>]*\slang="en"')

# GET routes that are not pages for people, or not ours to translate.
SKIPPED = {
    "static": "static files",
    "pages.healthz": "JSON for the load balancer",
    "pages.readyz": "JSON for the load balancer",
    "pages.security_txt": "security.txt, a fixed format for machines (RFC 9116)",
    "pages.favicon": "a redirect to the site's icon (static/favicon.svg)",
    "notifications.open_notification": "a redirect to what the notification is about",
    "accounts.export_account": "the user's data as JSON (stored codes, not labels)",
    "accounts.export_account_zip": "the same JSON and the user's own files, zipped",
    "files.download_file": "an uploaded file: user content",
    "contributions.show_contribution": "a lasting link: redirects to the case page (in PAGES)",
}
# Error pages: (role, path, status).
ERROR_PAGES = [
    ("member", "/no-such-page", 404),
    ("applicant", "/c/quiet-room", 404),  # a secret community they are not in
    ("member", "/c/{slug}/settings", 403),  # a member, not a moderator
    ("visitor", "/no-such-page", 404),
]
# Pages that answer with a redirect to another page, which is checked instead.
REDIRECTS = {"accounts.confirm_email"}

# endpoint -> [(role, path)]; a path is a format string over the world's `ids`.
PAGES: dict[str, list[tuple[str, str]]] = {
    "pages.home": [(r, "/") for r in ("visitor", "member", "expert", "moderator", "admin")],
    "pages.privacy": [("visitor", "/privacy"), ("member", "/privacy")],
    "pages.accessibility": [("visitor", "/toegankelijkheid")],
    "pages.security_policy": [("visitor", "/beveiliging")],
    "pages.unsubscribe": [("visitor", "/unsubscribe/{unsubscribe_token}")],
    "accounts.register": [("visitor", "/register")],
    "accounts.registered": [("visitor", "/register/sent")],
    "accounts.confirm_email": [
        ("visitor", "/confirm/{confirm_token}"),
        ("visitor", "/confirm/not-a-token"),
    ],
    "accounts.login": [("visitor", "/login")],
    "accounts.second_factor": [("second_factor", "/login/code")],
    "accounts.pending": [("pending", "/account/pending")],
    "accounts.forgot_password": [("visitor", "/password/forgot")],
    "accounts.reset_password": [
        ("visitor", "/password/reset/{reset_token}"),
        ("visitor", "/password/reset/not-a-token"),
    ],
    "accounts.edit_account": [(r, "/account") for r in ("member", "moderator", "admin")],
    "accounts.setup_two_factor": [("member", "/account/2fa"), ("admin", "/account/2fa")],
    "accounts.change_password": [("member", "/account/password")],
    "accounts.delete_account": [("member", "/account/delete")],
    "accounts.show_person": [("member", "/people/{expert_id}"), ("admin", "/people/{author_id}")],
    "admin.list_accounts": [("admin", "/admin/accounts")],
    "admin.list_organisations": [("admin", "/admin/organisations")],
    "admin.edit_organisation": [
        ("admin", "/admin/organisations/new"),
        ("admin", "/admin/organisations/{organisation_id}"),
    ],
    "moderation.admin_audit": [("admin", "/admin/audit")],
    "communities.list_communities": [("member", "/communities"), ("admin", "/communities")],
    "communities.create_community": [("admin", "/communities/new")],
    "communities.show_community": [
        ("member", "/c/{slug}"),
        ("moderator", "/c/{slug}"),
        ("applicant", "/c/{slug}"),
        ("outsider", "/c/{slug}"),
    ],
    "communities.edit_community": [("moderator", "/c/{slug}/settings")],
    "members.list_members": [("member", "/c/{slug}/members"), ("moderator", "/c/{slug}/members")],
    "members.invite_member": [("moderator", "/c/{slug}/invite")],
    "members.remove_member": [("moderator", "/c/{slug}/members/{author_id}/remove")],
    "communities.leave_community": [
        ("member", "/c/{slug}/leave"),
        ("moderator", "/c/{slug}/leave"),
    ],
    "members.show_history": [("moderator", "/c/{slug}/history")],
    "members.show_invitation": [
        ("outsider", "/invitations/{invitation_token}"),
        ("visitor", "/invitations/{invitation_token}"),
        ("visitor", "/invitations/not-a-token"),
    ],
    "moderation.community_audit": [("moderator", "/c/{slug}/audit")],
    "moderation.show_queue": [("moderator", "/moderation")],
    "moderation.new_flag": [("member", "/flags/new?target=case:{advice_case}")],
    "cases.new_case": [("member", "/c/{slug}/cases/new")],
    "cases.show_case": [
        (role, "/c/{slug}/cases/{" + case + "}")
        for case in ("draft_case", "questions_case", "advice_case", "reflection_case")
        for role in ("author", "member", "expert", "moderator")
        if case != "draft_case" or role == "author"
    ]
    + [(role, "/c/{slug}/cases/{closed_case}") for role in ("author", "member", "moderator")],
    "cases.edit_case": [("author", "/c/{slug}/cases/{questions_case}/edit")],
    "cases.case_history": [("author", "/c/{slug}/cases/{questions_case}/history")],
    "cases.confirm_close": [
        ("author", "/c/{slug}/cases/{reflection_case}/close"),
        ("moderator", "/c/{slug}/cases/{reflection_case}/close"),
    ],
    "cases.list_advice_requests": [("expert", "/advice-requests")],
    "contributions.edit_contribution": [
        ("member", "/c/{slug}/cases/{advice_case}/contributions/{advice_id}/edit")
    ],
    "contributions.reply_to_contribution": [
        (role, "/c/{slug}/cases/{advice_case}/contributions/{advice_id}/reply")
        for role in ("member", "expert")
    ],
    "approaches.list_approaches": [("member", "/approaches"), ("outsider", "/approaches")],
    "approaches.show_approach": [
        ("author", "/approaches/{approach_id}"),
        ("member", "/approaches/{approach_id}"),
        ("moderator", "/approaches/{approach_id}"),
        ("outsider", "/approaches/{approach_id}"),
    ],
    "approaches.new_approach": [("author", "/c/{slug}/approaches/new?case={closed_case}")],
    "approaches.edit_approach": [("author", "/approaches/{approach_id}/edit")],
    "approaches.approach_versions": [("author", "/approaches/{approach_id}/versions")],
    "approaches.adoption_overview": [("member", "/approaches/adoptions")],
    "meetings.new_meeting": [("moderator", "/c/{slug}/meetings/new")],
    "meetings.show_meeting": [
        ("member", "/c/{slug}/meetings/{meeting_id}"),
        ("moderator", "/c/{slug}/meetings/{meeting_id}"),
    ],
    "meetings.edit_meeting": [("moderator", "/c/{slug}/meetings/{meeting_id}/edit")],
    "meetings.meeting_ics": [("member", "/c/{slug}/meetings/{meeting_id}.ics")],
    "meetings.calendar_feed": [("visitor", "/calendar/{calendar_token}.ics")],
    "notifications.list_notifications": [
        (r, "/notifications") for r in ("member", "author", "expert", "moderator", "applicant")
    ],
    "search.search_page": [
        ("member", "/search"),
        ("member", "/search?q=harbour"),
        ("member", "/search?q=zzzqqq"),
    ],
}


def _get_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}


def test_every_get_route_is_listed(app: Flask) -> None:
    """A new page has to be added to PAGES (with the roles that see it) or to SKIPPED."""
    endpoints = _get_endpoints(app)
    assert endpoints - set(PAGES) - set(SKIPPED) == set(), "add these routes to PAGES"
    assert set(PAGES) - endpoints == set(), "these routes no longer exist"
    assert set(PAGES).isdisjoint(SKIPPED)


def _problems_in_page(label: str, response: Any) -> list[str]:
    html = response.get_data(as_text=True)
    problems = []
    if not HTML_LANG_EN.search(html):
        problems.append(f'{label}: no <html lang="en">')
    found = dutch_in(html)
    if found:
        problems.append(f"{label}: Dutch text {found}")
    return problems


@pytest.fixture
def world(
    app: Flask,
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    make_theme: Callable[..., Any],
    make_community: Callable[..., Any],
    make_membership: Callable[..., Membership],
    make_case: Callable[..., Case],
    make_contribution: Callable[..., Contribution],
) -> World:
    return build_world(
        app,
        make_user=make_user,
        make_organisation=make_organisation,
        make_theme=make_theme,
        make_community=make_community,
        make_membership=make_membership,
        make_case=make_case,
        make_contribution=make_contribution,
    )


def test_every_page_of_every_role_is_english(app: Flask, world: World) -> None:
    problems = list(world.problems)  # the pages after each POST of the world, with flashes
    for endpoint, visits in PAGES.items():
        for role, template in visits:
            path = template.format(**world.ids)
            response = world.client(role).get(
                path, headers=EN, follow_redirects=endpoint in REDIRECTS
            )
            label = f"{endpoint} as {role} ({path})"
            if response.status_code != 200:
                problems.append(f"{label}: status {response.status_code}")
                continue
            if response.mimetype == "text/calendar":
                found = dutch_in_plain(response.get_data(as_text=True))
                problems.extend([f"{label}: Dutch text {found}"] if found else [])
            else:
                problems.extend(_problems_in_page(label, response))
    for role, template, status in ERROR_PAGES:
        path = template.format(**world.ids)
        response = world.client(role).get(path, headers=EN)
        label = f"error page {path} as {role}"
        if response.status_code != status:
            problems.append(f"{label}: status {response.status_code}, not {status}")
        problems.extend(_problems_in_page(label, response))
    assert not problems, "\n".join(problems)


# Forms sent with bad input: (role, path, data); each answers 200 with its errors shown.
BAD_POSTS: list[tuple[str, str, dict[str, Any]]] = [
    ("visitor", "/register", {"name": "", "email": "nope", "password": "x"}),
    ("visitor", "/login", {"email": "nobody@example.org", "password": "wrong"}),
    ("visitor", "/password/forgot", {"email": "not an address"}),
    ("visitor", "/password/reset/{reset_token}", {"password": "a", "password_confirm": "b"}),
    ("second_factor", "/login/code", {"code": "000000"}),
    ("member", "/account", {"name": "", "locale": "en", "email_mode": "nonsense"}),
    ("member", "/account/password", {"current_password": "wrong", "password": "x"}),
    ("member", "/account/delete", {"password": "wrong"}),
    ("member", "/account/2fa", {"password": "wrong", "code": "1"}),
    ("admin", "/communities/new", {"name": "", "visibility": "nonsense"}),
    ("admin", "/admin/organisations/new", {"name": "", "slug": "Not A Slug!", "kind": "x"}),
    ("moderator", "/c/{slug}/settings", {"name": "", "method": "nonsense"}),
    ("moderator", "/c/{slug}/invite", {"email": "not an address", "role": "x"}),
    ("member", "/c/{slug}/cases/new", {"title": "", "action": "publish"}),
    ("author", "/c/{slug}/cases/{questions_case}/edit", {"title": "", "version": 1}),
    ("member", "/c/{slug}/cases/{advice_case}/contributions", {"kind": "advice", "body": ""}),
    (  # a reply with errors: back on the reply page
        "expert",
        "/c/{slug}/cases/{advice_case}/contributions",
        {"kind": "comment", "body": "", "parent_id": "{advice_id}"},
    ),
    (
        "member",
        "/c/{slug}/cases/{advice_case}/contributions/{advice_id}/edit",
        {"body": ""},
    ),
    ("author", "/c/{slug}/approaches/new?case={closed_case}", {"title": ""}),
    ("author", "/approaches/{approach_id}/edit", {"title": "", "version": 1}),
    ("member", "/approaches/{approach_id}/adopt", {"status": "nonsense"}),
    ("moderator", "/c/{slug}/meetings/new", {"title": "", "starts_at": "soon", "kind": "x"}),
    ("moderator", "/c/{slug}/meetings/{meeting_id}/edit", {"title": "", "starts_at": "x"}),
    ("member", "/c/{slug}/meetings/{meeting_id}/rsvp", {"response": "perhaps"}),
    ("moderator", "/c/{slug}/meetings/{meeting_id}/report", {"report": ""}),
    ("outsider", "/c/{slug}/join", {"motivation": ""}),
]


def test_every_form_with_errors_is_english(app: Flask, world: World) -> None:
    problems = []
    for role, template, data in BAD_POSTS:
        path = template.format(**world.ids)
        data = {k: v.format(**world.ids) if isinstance(v, str) else v for k, v in data.items()}
        response = world.client(role).post(path, data=data, headers=EN, follow_redirects=True)
        label = f"bad POST {path} as {role}"
        if response.status_code != 200:
            problems.append(f"{label}: status {response.status_code}")
            continue
        problems.extend(_problems_in_page(label, response))
    assert not problems, "\n".join(problems)


def test_mail_to_english_recipients_is_english(app: Flask, world: World) -> None:
    english = {u.email for u in app_users(app) if u.locale == "en"}
    mails = [m for m in world.outbox if m["To"] in english]
    assert len({m["Subject"] for m in mails}) >= 6, [m["Subject"] for m in mails]
    problems = []
    for message in mails:
        for part, text in (("subject", message["Subject"]), ("body", _body(message))):
            found = dutch_in_plain(text)
            if found:
                problems.append(f"mail {message['Subject']!r} to {message['To']}: {part} {found}")
    assert not problems, "\n".join(problems)


def app_users(app: Flask) -> list[User]:
    from community.extensions import db

    return list(db.session.scalars(select(User)))


def _body(message: Any) -> str:
    part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
    return str(part.get_content())


def test_dutch_users_still_get_dutch(app: Flask, world: World) -> None:
    """The check is not vacuous: the same pages in Dutch are full of catalogue text."""
    client: FlaskClient = world.client("dutch")
    page = client.get(f"/c/{world.ids['slug']}/meetings/{world.ids['meeting_id']}")
    assert page.status_code == 200
    assert {"Ja, ik kom", "Nee", "Misschien"} <= set(dutch_in(page.get_data(as_text=True)))
    assert 'lang="nl"' in page.get_data(as_text=True)
