"""Demo approaches (aanpakken) for `flask demo`, with the organisations that adopted them.

The texts are in `community/data/demo_approaches.json`. An approach written from a demo
case takes its author, organisation and theme from that case and draws on the contributions
the case author marked valuable. A library approach was requested by its author and
approved by a moderator of its community; only library approaches carry adoptions. Load
the demo cases first: an approach whose community, author or case is missing is skipped.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from importlib import resources
from typing import NotRequired, TypedDict

from sqlalchemy import select

from community import markdown
from community.communities.memberships import moderators_of
from community.demo_cases import _end_of_last_working_day, _office_hours
from community.extensions import db
from community.models import (
    APPROACH_TEXT_FIELDS,
    Adoption,
    Approach,
    ApproachSource,
    Case,
    Community,
    Contribution,
    Organisation,
    Theme,
    User,
)
from community.models.base import utcnow


class DemoAdoption(TypedDict):
    organisation: str
    status: str
    days_ago: float
    note: str
    contact: str


class DemoApproach(TypedDict):
    title: str
    community: str
    case: NotRequired[str]
    theme: NotRequired[str]
    author: str
    library: bool
    created_days_ago: float
    library_requested_days_ago: NotRequired[float]
    library_approved_days_ago: NotRequired[float]
    summary: str
    problem: str
    steps: str
    results: str
    success_factors: str
    pitfalls: str
    contact: str
    adoptions: list[DemoAdoption]


def demo_approaches() -> list[DemoApproach]:
    text = resources.files("community").joinpath("data/demo_approaches.json").read_text("utf-8")
    approaches: list[DemoApproach] = json.loads(text)
    return approaches


def load_demo_approaches() -> int:
    """Create the demo approaches whose title does not exist yet; returns how many."""
    communities = {community.name: community for community in db.session.scalars(select(Community))}
    users = {user.email: user for user in db.session.scalars(select(User))}
    themes = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    organisations = {org.slug: org for org in db.session.scalars(select(Organisation))}
    existing = set(db.session.scalars(select(Approach.title)))
    anchor = _end_of_last_working_day(utcnow())
    added = 0
    for data in demo_approaches():
        community = communities.get(data["community"])
        author = users.get(data["author"])
        if data["title"] in existing or community is None or author is None:
            continue
        case = None
        if "case" in data:
            case = db.session.scalar(
                select(Case).where(Case.community_id == community.id, Case.title == data["case"])
            )
            if case is None:
                continue
        theme_id = case.theme_id if case else _theme_id(themes, data.get("theme"))
        earliest = case.last_activity_at if case else anchor - timedelta(days=365)
        approach = _add_approach(data, community, author, case, theme_id, anchor, earliest)
        if case is not None:
            _add_sources(approach, case)
        if approach.library_approved_at is not None:
            _add_adoptions(approach, data["adoptions"], organisations, users, anchor)
        existing.add(approach.title)
        added += 1
    db.session.flush()
    return added


def _theme_id(themes: dict[str, Theme], slug: str | None) -> int | None:
    theme = themes.get(slug) if slug else None
    return theme.id if theme else None


def _moment(anchor: datetime, days_ago: float, earliest: datetime) -> datetime:
    """A moment in office hours, never before `earliest` (so the order of events holds)."""
    return max(_office_hours(anchor - timedelta(days=days_ago)), earliest)


def _add_approach(
    data: DemoApproach,
    community: Community,
    author: User,
    case: Case | None,
    theme_id: int | None,
    anchor: datetime,
    earliest: datetime,
) -> Approach:
    created = _moment(anchor, data["created_days_ago"], earliest)
    approach = Approach(
        community_id=community.id,
        case_id=case.id if case else None,
        author_id=author.id,
        organisation_id=author.organisation_id,
        theme_id=theme_id,
        title=data["title"],
        contact=data["contact"],
        scope="community",
        version=1,
        created_at=created,
        updated_at=created,
        updated_by_id=author.id,
    )
    texts = (
        data["summary"],
        data["problem"],
        data["steps"],
        data["results"],
        data["success_factors"],
        data["pitfalls"],
    )
    for name, text in zip(APPROACH_TEXT_FIELDS, texts, strict=True):
        setattr(approach, name, text)
        setattr(approach, f"{name}_html", markdown.render(text))
    if data["library"] or "library_requested_days_ago" in data:
        days_ago = data.get("library_requested_days_ago", data["created_days_ago"])
        requested = _moment(anchor, days_ago, created)
        approach.library_requested_at = requested
        approver = _approver(community, author)
        if data["library"] and approver is not None:
            approach.scope = "library"
            approach.library_approved_at = _moment(
                anchor, data.get("library_approved_days_ago", 0.0), requested
            )
            approach.library_approved_by_id = approver.id
    db.session.add(approach)
    db.session.flush()
    return approach


def _approver(community: Community, author: User) -> User | None:
    """A moderator of the community, preferably someone other than the author."""
    moderators = sorted(moderators_of(community), key=lambda user: (user.id == author.id, user.id))
    return moderators[0] if moderators else None


def _add_sources(approach: Approach, case: Case) -> None:
    valuable = db.session.scalars(
        select(Contribution.id)
        .where(Contribution.case_id == case.id, Contribution.valuable.is_(True))
        .order_by(Contribution.created_at, Contribution.id)
    )
    for contribution_id in valuable:
        db.session.add(ApproachSource(approach_id=approach.id, contribution_id=contribution_id))


def _add_adoptions(
    approach: Approach,
    items: list[DemoAdoption],
    organisations: dict[str, Organisation],
    users: dict[str, User],
    anchor: datetime,
) -> None:
    """One adoption per organisation, reported by a demo user of it or else by the author."""
    assert approach.library_approved_at is not None
    reporters: dict[int, User] = {}
    for user in sorted(users.values(), key=lambda user: user.id):
        if user.organisation_id is not None:
            reporters.setdefault(user.organisation_id, user)
    seen: set[int] = set()
    for item in items:
        organisation = organisations.get(item["organisation"])
        if organisation is None or organisation.id in seen:
            continue
        seen.add(organisation.id)
        reporter = reporters.get(organisation.id)
        moment = _moment(anchor, item["days_ago"], approach.library_approved_at)
        db.session.add(
            Adoption(
                approach_id=approach.id,
                organisation_id=organisation.id,
                status=item["status"],
                note=item["note"],
                contact=item["contact"],
                updated_by_id=reporter.id if reporter else approach.author_id,
                created_at=moment,
                updated_at=moment,
            )
        )
