"""Demo cases for `flask demo`: twelve fictitious cases with their contributions.

The texts are in `community/data/demo_cases.json`. Each case names its community, its
author and its phase; each contribution its author, kind, the phase it was written in,
optionally the index of the contribution it replies to and whether the case author
marked it valuable. The data follow the rules of `community.cases.cycle`; the tests
check that they still do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import NotRequired, TypedDict

from sqlalchemy import select

from community import markdown
from community.extensions import db
from community.models import Case, Community, Contribution, Theme, User
from community.models.base import utcnow

TEXT_FIELDS = ("context", "question", "tried", "stakeholders")
PUBLISHED_AFTER = timedelta(hours=3)


class DemoContribution(TypedDict):
    author: str
    kind: str
    phase: str
    body: str
    reply_to: NotRequired[int]
    valuable: NotRequired[bool]


class DemoCase(TypedDict):
    title: str
    city: str
    theme: str
    community: str
    author: str
    phase: str
    created_days_ago: float
    last_activity_days_ago: float
    context: str
    question: str
    tried: str
    stakeholders: str
    contributions: list[DemoContribution]


def demo_cases() -> list[DemoCase]:
    text = resources.files("community").joinpath("data/demo_cases.json").read_text("utf-8")
    cases: list[DemoCase] = json.loads(text)
    return cases


def load_demo_cases() -> int:
    """Create the demo cases that their community does not have yet; returns how many."""
    communities = {community.name: community for community in db.session.scalars(select(Community))}
    users = {user.email: user for user in db.session.scalars(select(User))}
    themes = {theme.slug: theme for theme in db.session.scalars(select(Theme))}
    existing = {
        (community_id, title)
        for community_id, title in db.session.execute(select(Case.community_id, Case.title))
    }
    anchor = _end_of_last_working_day(utcnow())
    added = 0
    for data in demo_cases():
        community = communities.get(data["community"])
        people = {data["author"]} | {item["author"] for item in data["contributions"]}
        if (
            community is None
            or (community.id, data["title"]) in existing
            or not people <= users.keys()
        ):
            continue
        timeline = _timeline(data, anchor)
        case = _add_case(
            data, community, users[data["author"]], themes.get(data["theme"]), timeline
        )
        _add_contributions(case, data["contributions"], users, timeline.contributions)
        added += 1
    db.session.flush()
    return added


@dataclass(frozen=True)
class _Timeline:
    created: datetime
    published: datetime | None
    last_activity: datetime
    contributions: list[datetime]


def _end_of_last_working_day(now: datetime) -> datetime:
    """The latest 16:00 UTC that is not after `now`: every demo moment lies before it."""
    anchor = now.replace(hour=16, minute=0, second=0, microsecond=0)
    return anchor if anchor <= now else anchor - timedelta(days=1)


def _office_hours(moment: datetime) -> datetime:
    """Squeeze a moment into 7:00-16:00 UTC of its own day, keeping the order of moments."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day + timedelta(hours=7) + (moment - day) * 9 / 24


def _timeline(data: DemoCase, anchor: datetime) -> _Timeline:
    """Contributions spread evenly between publication and the last activity.

    A closed case was closed at its last activity, one step after its last contribution.
    """
    created = anchor - timedelta(days=data["created_days_ago"])
    if data["phase"] == "draft":
        return _Timeline(_office_hours(created), None, _office_hours(created), [])
    published = created + PUBLISHED_AFTER
    last_activity = max(anchor - timedelta(days=data["last_activity_days_ago"]), published)
    count = len(data["contributions"])
    step = (last_activity - published) / max(count + (data["phase"] == "closed"), 1)
    return _Timeline(
        created=_office_hours(created),
        published=_office_hours(published),
        last_activity=_office_hours(last_activity),
        contributions=[_office_hours(published + step * (index + 1)) for index in range(count)],
    )


def _add_case(
    data: DemoCase, community: Community, author: User, theme: Theme | None, timeline: _Timeline
) -> Case:
    case = Case(
        community=community,
        author=author,
        organisation_id=author.organisation_id,
        theme=theme,
        title=data["title"],
        phase=data["phase"],
        created_at=timeline.created,
        updated_at=timeline.published or timeline.created,
        published_at=timeline.published,
        last_activity_at=timeline.last_activity,
        closed_at=timeline.last_activity if data["phase"] == "closed" else None,
    )
    texts = (data["context"], data["question"], data["tried"], data["stakeholders"])
    for name, text in zip(TEXT_FIELDS, texts, strict=True):
        setattr(case, name, text)
        setattr(case, f"{name}_html", markdown.render(text))
    db.session.add(case)
    db.session.flush()
    return case


def _add_contributions(
    case: Case, items: list[DemoContribution], users: dict[str, User], moments: list[datetime]
) -> None:
    posted: list[Contribution] = []
    for item, moment in zip(items, moments, strict=True):
        parent = posted[item["reply_to"]] if "reply_to" in item else None
        contribution = Contribution(
            case_id=case.id,
            author_id=users[item["author"]].id,
            parent_id=parent.id if parent else None,
            kind=item["kind"],
            phase=item["phase"],
            body=item["body"],
            body_html=markdown.render(item["body"]),
            valuable=item.get("valuable", False),
            created_at=moment,
        )
        db.session.add(contribution)
        db.session.flush()  # a later reply needs its id
        posted.append(contribution)
