"""Terugkoppeling: three months after a case closed, its author tells what came of it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from community import audit, markdown, policy, search
from community.cases.services import case_data
from community.extensions import db
from community.models import Case, Community, Membership, User
from community.models.base import utcnow
from community.notifications.services import notify

FOLLOW_UP_AFTER = timedelta(days=91)


def write_follow_up(user: User, case: Case, text: str, ip: str | None) -> None:
    policy.require(policy.can_write_follow_up(user, case))
    case.follow_up = text.strip()
    case.follow_up_html = markdown.render(case.follow_up)
    case.follow_up_at = utcnow()
    search.index_case(case)
    audit.record("case.follow_up", actor=user, target=case, community_id=case.community_id, ip=ip)


def request_follow_ups(now: datetime | None = None) -> int:
    """Ask each author once; a conditional update claims the case, so two workers never both do."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Case)
        .join(
            Membership,
            (Membership.user_id == Case.author_id) & (Membership.community_id == Case.community_id),
        )
        .join(User, User.id == Case.author_id)
        .where(
            Case.phase == "closed",
            Case.closed_at <= now - FOLLOW_UP_AFTER,
            Case.follow_up_requested_at.is_(None),
            Case.follow_up_at.is_(None),
            policy.active_memberships(),
            Case.community.has(Community.archived_at.is_(None)),
        )
    ).all()
    asked = 0
    for case in due:
        claimed = db.session.execute(
            update(Case)
            .where(Case.id == case.id, Case.follow_up_requested_at.is_(None))
            .values(follow_up_requested_at=now)
            .execution_options(synchronize_session=False)
        )
        if not getattr(claimed, "rowcount", 0):
            continue
        author = db.session.get(User, case.author_id)
        assert author is not None
        notify(
            author, "follow_up_requested", community=case.community, target=case, **case_data(case)
        )
        asked += 1
    return asked
