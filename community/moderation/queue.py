"""The review queue: a moderator's (and an administrator's) pending work in one place.

Five sections, each oldest first and scoped by the policy (`policy.review_*`): join
requests, library approvals, flags, held contributions of new members and, for
administrators with the second factor, accounts waiting for approval. Their counts are
read in one statement; each section is one more query, whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import Select

from community import policy
from community.extensions import db
from community.models import Approach, Case, Contribution, Flag, Membership, User

# The overview shows the oldest this many of each section; "all" pages through the rest.
QUEUE_SIZE = 10
PER_PAGE = 25

SECTIONS = ("requests", "library", "flags", "held", "accounts")


def _statements(user: User) -> dict[str, Select[Any]]:
    """Each section's rows, oldest first; only the sections the user may work on."""
    moderating = bool(policy.moderating_community_ids(user))
    found: dict[str, Select[Any]] = {}
    if moderating:
        found["requests"] = (
            select(Membership)
            .where(policy.review_requests(user))
            .order_by(Membership.updated_at, Membership.id)
        )
        found["library"] = (
            select(Approach)
            .where(policy.review_library(user))
            .order_by(Approach.library_requested_at, Approach.id)
        )
        found["flags"] = (
            select(Flag).where(policy.review_flags(user)).order_by(Flag.created_at, Flag.id)
        )
        found["held"] = (
            select(Contribution)
            .where(policy.review_contributions(user))
            .options(joinedload(Contribution.case))
            .order_by(Contribution.created_at, Contribution.id)
        )
    if policy.is_acting_admin(user):
        found["accounts"] = (
            select(User).where(policy.review_accounts(user)).order_by(User.created_at, User.id)
        )
    return found


_COUNTED = "leerkring_review_counts"


def section_counts(user: User) -> dict[str, int]:
    """How many items wait in each of the user's sections, in one statement (none at
    all for a plain member). Read once per request: the page and its header agree."""
    known: dict[int, dict[str, int]] = g.setdefault(_COUNTED, {})
    if user.id in known:
        return known[user.id]
    statements = _statements(user)
    counts: dict[str, int] = {}
    if statements:
        columns = [
            select(func.count())
            .select_from(statement.order_by(None).subquery())
            .scalar_subquery()
            .label(name)
            for name, statement in statements.items()
        ]
        row = db.session.execute(select(*columns)).one()
        counts = {name: int(value or 0) for name, value in zip(statements, row, strict=True)}
    known[user.id] = counts
    return counts


def forget_counts() -> None:
    """After a change in this request (a handled item), count again."""
    g.pop(_COUNTED, None)


@dataclass(frozen=True)
class Section:
    name: str
    count: int
    items: list[Any]


def overview(user: User) -> list[Section]:
    """Every section of the user's queue with its count and its oldest QUEUE_SIZE items."""
    counts = section_counts(user)
    sections = []
    for name, statement in _statements(user).items():
        count = counts.get(name, 0)
        rows = list(db.session.scalars(statement.limit(QUEUE_SIZE))) if count else []
        sections.append(Section(name, count, rows))
    return sections


def section_statement(user: User, name: str) -> Select[Any] | None:
    """One section's rows (to page through), or None when it is not the user's."""
    return _statements(user).get(name)


def flagged_targets(flags: list[Flag]) -> dict[int, Any]:
    """Flag id -> the flagged object, one query per kind (a contribution with its case);
    only while the object is still in the flag's community (the moderator's)."""
    models: dict[str, Any] = {"case": Case, "contribution": Contribution, "approach": Approach}
    found: dict[tuple[str, int], Any] = {}
    for kind, model in models.items():
        ids = [f.target_id for f in flags if f.target_type == kind]
        if not ids:
            continue
        statement = select(model).where(model.id.in_(ids))
        if model is Contribution:
            statement = statement.options(joinedload(Contribution.case))
        for obj in db.session.scalars(statement).unique():
            found[(kind, obj.id)] = obj
    targets = {}
    for item in flags:
        obj = found.get((item.target_type, item.target_id))
        home = obj.case if isinstance(obj, Contribution) else obj
        if home is not None and home.community_id == item.community_id:
            targets[item.id] = obj
    return targets
