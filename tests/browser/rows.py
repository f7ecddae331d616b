"""Building blocks for the journeys' worlds, written straight into the live server's database.

Each journey builds what it needs inside one app context (``with live.app.app_context():``)
from these pieces and commits once; the names and addresses it passes keep its rows apart
from the other journeys', since the session's live server is shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from community.accounts.passwords import hash_password
from community.extensions import db
from community.markdown import render
from community.models import Case, Community, Contribution, Membership, Organisation, User
from community.models.base import utcnow


def people(
    domain: str,
    names: Iterable[tuple[str, str]],
    password: str,
    *,
    organisations: dict[str, Organisation] | None = None,
) -> dict[str, User]:
    """Active, confirmed Dutch-speaking accounts ``key@domain``, keyed by ``key``."""
    password_hash = hash_password(password)
    found: dict[str, User] = {}
    for key, name in names:
        user = User(
            name=name,
            email=f"{key}@{domain}",
            password_hash=password_hash,
            status="active",
            email_confirmed_at=utcnow(),
            locale="nl",
            organisation=(organisations or {}).get(key),
        )
        db.session.add(user)
        found[key] = user
    db.session.flush()
    return found


def organisation(slug: str) -> Organisation:
    """One of the seeded organisations (the G32/G40 cities and partners)."""
    return db.session.query(Organisation).filter_by(slug=slug).one()


def community(name: str, slug: str, description: str, **fields: Any) -> Community:
    """A community whose description and summary are ``description``."""
    row = Community(
        name=name,
        slug=slug,
        description=description,
        description_html=render(description),
        summary=description,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def members(
    place: Community,
    users: dict[str, User],
    roles: Iterable[tuple[str, str]],
    *,
    status: str = "active",
) -> None:
    """Memberships of ``place``: (key in ``users``, role) pairs."""
    for key, role in roles:
        db.session.add(
            Membership(
                user_id=users[key].id,
                community_id=place.id,
                role=role,
                status=status,
            )
        )
    db.session.flush()


def case(
    place: Community,
    author: User,
    title: str,
    *,
    context: str = "c",
    question: str = "q",
    phase: str = "questions",
    **fields: Any,
) -> Case:
    """A published case of ``place``."""
    row = Case(
        community_id=place.id,
        author_id=author.id,
        title=title,
        context=context,
        context_html=render(context),
        question=question,
        question_html=render(question),
        phase=phase,
        published_at=utcnow(),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def contribution(
    on: Case,
    author: User,
    body: str,
    *,
    kind: str = "question",
    phase: str = "questions",
    **fields: Any,
) -> Contribution:
    """A published contribution to ``on``."""
    row = Contribution(
        case_id=on.id,
        author_id=author.id,
        kind=kind,
        phase=phase,
        body=body,
        body_html=render(body),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row
