"""A world in which every page of Leerkring has something to show, made by English users.

Used by tests/test_english_pages.py. Every person's language is English; every name,
title and text is English or a made-up word, so that no user content is a Dutch msgid.
Actions go through the real forms (and every page they lead to, with its flash message,
is checked for Dutch as it is made); only what has no form of its own (cases in a given
phase, a contribution waiting for review) comes from the factories.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from community.extensions import db
from community.models import Approach, Contribution, Meeting, User
from tests.conftest import PASSWORD, Mailbox
from tests.dutch_text import dutch_in

EN = {"Accept-Language": "en"}
LINK = re.compile(r"https://leerkring\.test(/\S+)")


@dataclass
class World:
    app: Flask
    clients: dict[str, FlaskClient] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def client(self, role: str) -> FlaskClient:
        return self.clients[role]

    @property
    def outbox(self) -> Sequence[Any]:
        return Mailbox(self.app)  # what the worker delivered

    def act(self, role: str, path: str, data: dict[str, Any] | None = None) -> str:
        """POST as `role`, follow the redirect, and check the page it ends on (and its flash)."""
        response = self.clients[role].post(path, data=data or {}, headers=EN, follow_redirects=True)
        page = response.get_data(as_text=True)
        label = f"after POST {path} as {role}"
        if response.status_code != 200:
            self.problems.append(f"{label}: status {response.status_code}")
        elif not response.history:
            errors = re.findall(r"field-error-message[^>]*>(.*?)</div>", page, re.S)
            alerts = re.findall(r'role="alert"[^>]*>(.*?)</div>', page, re.S)
            self.problems.append(f"{label}: not accepted {errors or alerts or page[:3000]}")
        elif found := dutch_in(page):
            self.problems.append(f"{label}: Dutch text {found}")
        return page

    def link_in_last_mail(self, to: str, prefix: str) -> str:
        for message in reversed(self.outbox):
            if message["To"] == to:
                for path in LINK.findall(message.get_content()):
                    if path.startswith(prefix):
                        return str(path)
        raise AssertionError(f"no mail to {to} with a link to {prefix}")


def _login(app: Flask, user: User) -> FlaskClient:
    """A client logged in through the real form (and the second step, if the user has one)."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD}, headers=EN)
    assert response.status_code == 302, response.get_data(as_text=True)
    if response.headers["Location"].startswith("/login/code"):
        code = pyotp.TOTP(user.totp_secret).now()
        response = client.post("/login/code", data={"code": code}, headers=EN)
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


def build_world(app: Flask, **make: Callable[..., Any]) -> World:  # noqa: PLR0915
    world = World(app)
    ids = world.ids
    theme = make["make_theme"](name_nl="Havens", name_en="Harbours")
    city = make["make_organisation"](name="Northtown", kind="gemeente", domains=["north.example"])
    housing = make["make_organisation"](
        name="Brickhouse Homes", kind="woningcorporatie", domains=["brick.example"]
    )
    ids["organisation_id"] = housing.id

    def person(name: str, **overrides: Any) -> User:
        user: User = make["make_user"](
            name=name,
            organisation=overrides.pop("organisation", city),
            job_title="Policy officer",
            locale=overrides.pop("locale", "en"),
            **overrides,
        )
        return user

    admin = person("Ada Admin", platform_role="admin", totp_secret=pyotp.random_base32())
    moderator = person("Mona Facilitator", totp_secret=pyotp.random_base32())
    expert = person("Eve Specialist", organisation=housing)
    author = person("Arthur Owner", email_mode="daily")
    member = person("Mel Peer", email_mode="daily")
    applicant = person("Apu Newcomer")
    outsider = person("Otto Stranger")
    pending = person("Pia Waiting", status="pending")
    dutch = person("Daan Dutch", locale="nl")
    second = person("Sam Second", platform_role="admin", totp_secret=pyotp.random_base32())

    harbour = make["make_community"](
        name="Harbour Circle",
        slug="harbour-circle",
        description="Peers who work on harbours.",
        visibility="closed",
        theme_id=theme.id,
    )
    quiet = make["make_community"](
        name="Quiet Room", slug="quiet-room", description="Invitation only.", visibility="secret"
    )
    ids["slug"] = harbour.slug
    make["make_membership"](moderator, harbour, role="moderator")
    make["make_membership"](moderator, quiet, role="moderator")
    make["make_membership"](expert, harbour, role="expert")
    for user in (author, member, dutch):
        make["make_membership"](user, harbour)
    ids.update(expert_id=expert.id, author_id=author.id)

    case = make["make_case"]
    contribution = make["make_contribution"]
    texts = {"context": "Quays stand empty.", "question": "How do we fill the quays?"}
    phases = ("draft", "questions", "advice", "reflection", "closed")
    cases = {
        phase: case(harbour, author, phase=phase, title=f"Quayside {phase} story", **texts)
        for phase in phases
    }
    ids.update({f"{phase}_case": c.id for phase, c in cases.items()})
    contribution(cases["questions"], member, kind="question", body="Which quays?")
    contribution(cases["questions"], author, kind="answer", body="The northern quays.")
    advice = contribution(cases["advice"], member, kind="advice", body="Ask the skippers.")
    contribution(cases["advice"], expert, kind="expert_advice", body="Zoning first.")
    contribution(cases["advice"], member, kind="comment", body="Good luck!")
    contribution(cases["advice"], member, kind="advice", body="Held back.", pending_review=True)
    ids["advice_id"] = advice.id
    contribution(cases["reflection"], author, kind="reflection", body="I take the zoning.")
    worth = contribution(
        cases["reflection"], member, kind="advice", phase="advice", body="Map the quays."
    )
    valuable = contribution(
        cases["closed"], member, kind="advice", body="Use the old sheds.", valuable=True
    )
    contribution(cases["closed"], author, kind="reflection", body="Sheds it is.")

    # Everyone's own client: one login each (a TOTP code can be used once).
    for role, user in {
        "admin": admin,
        "moderator": moderator,
        "expert": expert,
        "author": author,
        "member": member,
        "applicant": applicant,
        "outsider": outsider,
        "pending": pending,
        "dutch": dutch,
    }.items():
        world.clients[role] = _login(app, user)
    world.clients["visitor"] = app.test_client()
    halfway = app.test_client()  # password given, the second step not yet
    halfway.post("/login", data={"email": second.email, "password": PASSWORD}, headers=EN)
    world.clients["second_factor"] = halfway

    slug = harbour.slug
    world.act("applicant", f"/c/{slug}/join", {"motivation": "I build quays."})
    world.act("author", f"/c/{slug}/cases/new", {**texts, "title": "Quay", "action": "publish"})
    world.act(
        "author",
        f"/c/{slug}/cases/{ids['questions_case']}/edit",
        {"title": "Quayside questions story, again", "theme": 0, **texts, "version": 1},
    )
    world.act("author", f"/c/{slug}/cases/{ids['questions_case']}/phase", {"phase": "advice"})
    world.act(
        "author",
        f"/c/{slug}/cases/{ids['reflection_case']}/contributions/{worth.id}/valuable",
        {"valuable": "1"},
    )
    world.act(
        "member",
        f"/c/{slug}/cases/{ids['advice_case']}/contributions",
        {"kind": "advice", "body": "Talk to the pilots."},
    )
    world.act(  # a reply that mentions a member (notified) and an outsider (the flash)
        "member",
        f"/c/{slug}/cases/{ids['advice_case']}/contributions",
        {
            "kind": "comment",
            "body": "Thanks @Eve Specialist, and @Otto Stranger too.",
            "parent_id": str(ids["advice_id"]),
        },
    )
    world.act(
        "expert",
        f"/c/{slug}/cases/{ids['advice_case']}/contributions/{ids['advice_id']}/appreciate",
        {"appreciated": "1"},
    )
    world.act(
        "author",
        f"/c/{slug}/cases/{ids['advice_case']}/experts",
        {"experts": [expert.id], "due_on": "2099-01-15"},
    )
    world.act(
        "author",
        f"/c/{slug}/cases/{ids['closed_case']}/follow-up",
        {"follow_up": "The sheds are full."},
    )
    approach_form = {
        "title": "Shed swap",
        "summary": "Old sheds, new use.",
        "problem": "Empty sheds.",
        "steps": "1. Ask.",
        "results": "Full sheds.",
        "success_factors": "Patience.",
        "pitfalls": "Rust.",
        "theme": theme.id,
        "contact": "Arthur",
        "sources": [valuable.id],
    }
    world.act("author", f"/c/{slug}/approaches/new?case={ids['closed_case']}", approach_form)
    approach = db.session.scalar(select(Approach).order_by(Approach.id.desc()))
    assert approach is not None, world.problems
    ids["approach_id"] = approach.id
    edited = {**approach_form, "sources": [], "version": 1, "title": "Shed swap, again"}
    world.act("author", f"/approaches/{approach.id}/edit", edited)
    world.act("author", f"/approaches/{approach.id}/share")
    world.act("moderator", f"/approaches/{approach.id}/share/approve")
    world.act("member", f"/approaches/{approach.id}/adopt", {"status": "piloting", "note": "Yes"})

    world.act(
        "moderator",
        f"/c/{slug}/meetings/new",
        {
            "title": "Quay walk",
            "kind": "expert_session",
            "starts_at": "2099-03-12T09:30",
            "ends_at": "2099-03-12T12:00",
            "location": "Pier 4",
            "host": city.id,
            "online_url": "",
            "agenda": "1. Walk",
            "capacity": "",
            "cases": [ids["advice_case"]],
        },
    )
    meeting = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()))
    assert meeting is not None, world.problems
    ids["meeting_id"] = meeting.id
    meeting_path = f"/c/{slug}/meetings/{meeting.id}"
    world.act("member", f"{meeting_path}/rsvp", {"response": "yes"})
    world.act("expert", f"{meeting_path}/rsvp", {"response": "maybe"})
    world.act("author", f"{meeting_path}/rsvp", {"response": "no"})
    world.act("moderator", f"{meeting_path}/report", {"report": "We walked."})
    world.act("member", "/account/calendar")
    ids["calendar_token"] = db.session.get(User, member.id).calendar_token  # type: ignore[union-attr]

    world.act("member", "/flags", {"target": f"case:{ids['advice_case']}", "reason": "offensive"})
    hidden = db.session.scalar(select(Contribution).where(Contribution.body == "Good luck!"))
    assert hidden is not None
    world.act("moderator", f"/moderation/contribution/{hidden.id}/hide", {"reason": "Spam"})
    world.act("moderator", f"/c/{slug}/invite", {"email": outsider.email, "role": "member"})
    ids["invitation_token"] = world.link_in_last_mail(outsider.email, "/invitations/").split("/")[
        -1
    ]
    world.act("moderator", f"/c/{quiet.slug}/invite", {"email": member.email, "role": "expert"})
    world.act("admin", f"/admin/accounts/{pending.id}/suspend")
    world.act("admin", f"/admin/accounts/{pending.id}/reactivate")

    visitor = world.clients["visitor"]
    visitor.post(
        "/register",
        data={
            "name": "Rita Newface",
            "email": "rita@north.example",
            "organisation": city.id,
            "job_title": "Planner",
            "password": "a-long-and-unusual-passphrase-2",
            "password_confirm": "a-long-and-unusual-passphrase-2",
        },
        headers=EN,
    )
    ids["confirm_token"] = world.link_in_last_mail("rita@north.example", "/confirm/").split("/")[-1]
    visitor.post("/password/forgot", data={"email": member.email}, headers=EN)
    ids["reset_token"] = world.link_in_last_mail(member.email, "/password/reset/").split("/")[-1]

    runner = app.test_cli_runner()
    result = runner.invoke(args=["digest", "--period", "daily"])
    assert result.exit_code == 0, result.output
    ids["unsubscribe_token"] = world.link_in_last_mail(member.email, "/unsubscribe/").split("/")[-1]
    return world
