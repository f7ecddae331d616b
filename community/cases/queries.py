"""Read-only queries for case lists and the case page, each a bounded number of statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, lazyload, load_only
from sqlalchemy.sql import Select

from community import policy
from community.extensions import db
from community.models import (
    Approach,
    AuditEvent,
    Case,
    CaseRevision,
    Community,
    Contribution,
    Organisation,
    Theme,
)

PHASE_ORDER = ("questions", "advice", "reflection", "closed")


def contribution_counts(case_ids: list[int]) -> dict[int, int]:
    if not case_ids:
        return {}
    rows = db.session.execute(_CONTRIBUTION_COUNTS, {"case_ids": case_ids}).all()
    return {case_id: count for case_id, count in rows}


# Built once (the ids are a parameter): building the statement cost as much as running it.
_CONTRIBUTION_COUNTS = (
    select(Contribution.case_id, func.count())
    .where(
        Contribution.case_id.in_(bindparam("case_ids", expanding=True)),
        Contribution.hidden_at.is_(None),
        Contribution.pending_review.is_(False),
    )
    .group_by(Contribution.case_id)
)


def case_list(community: Community, user: Any, phase: str | None, theme: str | None) -> Select[Any]:
    """Published cases plus the user's own drafts, newest activity first."""
    query = select(Case).where(
        Case.community_id == community.id,
        or_(Case.phase != "draft", Case.author_id == user.id),
    )
    if not policy.can_moderate_content(user, community):
        query = query.where(or_(Case.hidden_at.is_(None), Case.author_id == user.id))
    query = query.order_by(Case.last_activity_at.desc(), Case.id.desc()).options(
        # What the list shows: not the texts, the author or the community (the page's own);
        # the theme's name comes from the page's list of themes, the organisation's name
        # is all of it that the list shows.
        load_only(
            Case.community_id,
            Case.author_id,
            Case.organisation_id,
            Case.theme_id,
            Case.title,
            Case.phase,
            Case.last_activity_at,
            Case.hidden_at,
        ),
        lazyload(Case.author),
        lazyload(Case.community),
        lazyload(Case.theme),
        joinedload(Case.organisation).load_only(Organisation.name),
    )
    if phase:
        query = query.where(Case.phase == phase)
    if theme:
        query = query.join(Theme, Theme.id == Case.theme_id).where(Theme.slug == theme)
    return query


# Contributions per case page: every case in the benchmark (up to 260) fits on one, but
# what a page loads stays bounded however long a discussion runs.
CONTRIBUTIONS_PER_PAGE = 250


def page_start_for(case: Case, contribution: Contribution) -> int | None:
    """The `after` of the case page that shows `contribution` (None: the first page).

    Pages are fixed runs of CONTRIBUTIONS_PER_PAGE in the page's order, so a link to a
    contribution far down a long discussion lands on the page that holds it."""
    earlier = db.session.scalar(
        select(func.count())
        .select_from(Contribution)
        .where(
            Contribution.case_id == case.id,
            or_(
                Contribution.created_at < contribution.created_at,
                and_(
                    Contribution.created_at == contribution.created_at,
                    Contribution.id < contribution.id,
                ),
            ),
        )
    )
    start = (earlier or 0) // CONTRIBUTIONS_PER_PAGE * CONTRIBUTIONS_PER_PAGE
    if not start:
        return None
    return db.session.scalar(
        select(Contribution.id)
        .where(Contribution.case_id == case.id)
        .order_by(Contribution.created_at, Contribution.id)
        .offset(start - 1)
        .limit(1)
    )


def revisions(case: Case) -> list[CaseRevision]:
    return list(
        db.session.scalars(
            select(CaseRevision)
            .where(CaseRevision.case_id == case.id)
            .order_by(CaseRevision.version.desc())
        )
    )


def approaches_of(case: Case) -> list[Approach]:
    """Approaches drawn from the case (shown to the case's members only)."""
    return list(
        db.session.scalars(
            select(Approach)
            .where(Approach.case_id == case.id, Approach.community_id == case.community_id)
            .order_by(Approach.created_at)
        )
    )


def moved_away_from(slug: str, case_id: int) -> Case | None:
    """The case `case_id` if it was ever moved out of the community `slug` (the audit log
    of the move says so), wherever it is now; else None. Who may read it is the caller's
    question (the policy's)."""
    left_here = (
        select(AuditEvent.id)
        .join(Community, Community.id == AuditEvent.community_id)
        .where(
            AuditEvent.action == "case.moved",
            AuditEvent.target_type == "cases",
            AuditEvent.target_id == case_id,
            Community.slug == slug,
        )
        .exists()
    )
    return db.session.scalar(select(Case).where(Case.id == case_id, left_here))


def has_reflection(case: Case) -> bool:
    """Whether the case has a reflection its members can read (not hidden, not held back):
    without one, its opbrengst stays empty when it is closed."""
    return bool(
        db.session.scalar(
            select(
                select(Contribution.id)
                .where(
                    Contribution.case_id == case.id,
                    Contribution.kind == "reflection",
                    Contribution.hidden_at.is_(None),
                    Contribution.pending_review.is_(False),
                )
                .exists()
            )
        )
    )
