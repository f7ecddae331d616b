"""A world for the layout tests: long Dutch words, full tables and a long case page.

Built straight into the live server's database (no requests), once per test, under
names made unique by `key`, since the session's live server is shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from community import audit
from community.accounts.passwords import hash_password
from community.extensions import db
from community.markdown import render
from community.models import (
    Adoption,
    Approach,
    Case,
    Community,
    Contribution,
    Meeting,
    Membership,
    Organisation,
    OrganisationDomain,
    User,
)
from community.models.base import utcnow

PASSWORD = "een-lang-wachtwoord-voor-de-opmaak"
# Sixty letters, no place to break but the hyphenation dictionary's.
LONG_WORD = "Binnenstadsmanagementsamenwerkingsovereenkomstenonderhandeling"[:60]
assert len(LONG_WORD) == 60
LONG_TITLE_WORDS = "Binnenstadsmanagement: Leegstandsbestrijdingsverordeningswijziging"


@dataclass
class LayoutWorld:
    slug: str
    case_id: int
    long_case_id: int
    approach_id: int
    meeting_id: int
    moderator: str
    member: str
    admin: str


def _user(key: str, role: str, name: str, organisation: Organisation, **extra: object) -> User:
    user = User(
        name=name,
        email=f"{role}-{key}@opmaak.example",
        password_hash=hash_password(PASSWORD),
        status="active",
        email_confirmed_at=utcnow(),
        locale="nl",
        organisation=organisation,
        job_title="Programmamanager Binnenstadsmanagement en Leegstandsbestrijding",
        **extra,
    )
    db.session.add(user)
    return user


def build(app: Flask, key: str, *, contributions: int = 30) -> LayoutWorld:
    with app.app_context():
        organisation = Organisation(
            name=f"Gemeente Hertogenbosch-Binnenstadsontwikkelingsmaatschappij {key}",
            slug=f"gemeente-opmaak-{key}",
            kind="gemeente",
        )
        organisation.domains = [OrganisationDomain(domain=f"opmaak-{key}.example")]
        db.session.add(organisation)
        moderator = _user(key, "moderator", "Mia Moderator", organisation)
        member = _user(key, "member", "Lars Lid", organisation)
        admin = _user(key, "admin", "Bea Beheerder", organisation, platform_role="admin")
        others = [
            _user(key, f"lid{n}", f"Deelnemer{LONG_WORD[:30]} {n}", organisation) for n in range(6)
        ]
        description = f"Samenwerking rond {LONG_WORD} en de aanloopstraten."
        community = Community(
            name=f"{LONG_WORD[:50]} {key}",
            slug=f"opmaak-{key}",
            description=description,
            description_html=render(description),
            summary=description,
            visibility="closed",
            method="open",
        )
        db.session.add(community)
        db.session.flush()
        db.session.add(
            Membership(
                user_id=moderator.id, community_id=community.id, role="moderator", status="active"
            )
        )
        for person in (member, *others):
            db.session.add(
                Membership(
                    user_id=person.id, community_id=community.id, role="member", status="active"
                )
            )
        case = _case(community, member, organisation, LONG_WORD)
        long_case = _case(community, member, organisation, f"{LONG_TITLE_WORDS} {key}")
        db.session.flush()
        for n in range(contributions):
            body = (
                f"Bijdrage {n}: in onze gemeente werkt de {LONG_WORD.lower()} anders. "
                "Wij begonnen met een pandeigenarenavond, daarna kwam de BIZ erbij. " * 3
            )
            db.session.add(
                Contribution(
                    case_id=long_case.id,
                    author_id=others[n % len(others)].id,
                    kind="comment",
                    phase="questions",
                    body=body,
                    body_html=render(body),
                )
            )
        approach = Approach(
            community_id=community.id,
            case_id=case.id,
            author_id=member.id,
            organisation_id=organisation.id,
            title=LONG_WORD,
            summary=f"Een aanpak voor {LONG_WORD}.",
            summary_html=render(f"Een aanpak voor {LONG_WORD}."),
            contact="Lars Lid",
        )
        db.session.add(approach)
        db.session.flush()
        db.session.add(
            Adoption(
                approach_id=approach.id,
                organisation_id=organisation.id,
                status="piloting",
                note=f"We proberen de {LONG_WORD.lower()} uit in twee wijken.",
                contact="binnenstadsmanagement@opmaak.example",
            )
        )
        agenda = f"1. Opening\n2. {LONG_WORD}"
        meeting = Meeting(
            community_id=community.id,
            title=f"Werksessie {LONG_WORD[:40]}",
            starts_at=utcnow() + timedelta(days=7),
            ends_at=utcnow() + timedelta(days=7, hours=2),
            agenda=agenda,
            agenda_html=render(agenda),
        )
        db.session.add(meeting)
        for action in ("membership.approved", "membership.role_changed", "case.created"):
            audit.record(
                action, actor=moderator, target=community, community_id=community.id, ip="::1"
            )
        audit.record("account.approved", actor=admin, target=member, ip="2001:db8::1")
        db.session.commit()
        world = LayoutWorld(
            slug=community.slug,
            case_id=case.id,
            long_case_id=long_case.id,
            approach_id=approach.id,
            meeting_id=meeting.id,
            moderator=moderator.email,
            member=member.email,
            admin=admin.email,
        )
        db.session.remove()
    return world


def _case(community: Community, author: User, organisation: Organisation, title: str) -> Case:
    context = f"Wat er speelt: de {LONG_WORD.lower()} loopt vast."
    question = "Hoe krijg ik verspreide eigenaren aan tafel?"
    case = Case(
        community_id=community.id,
        author_id=author.id,
        organisation_id=organisation.id,
        title=title,
        context=context,
        context_html=render(context),
        question=question,
        question_html=render(question),
        phase="questions",
        published_at=utcnow(),
    )
    db.session.add(case)
    return case
