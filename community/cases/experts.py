"""Asking experts of the community for advice by a date, and telling moderators when it is late."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, select, update

from community import audit, policy
from community.cases.services import case_data
from community.communities.memberships import moderators_of
from community.exceptions import DomainError
from community.extensions import db
from community.i18n import format_day_plain
from community.models import Case, Community, ExpertRequest, Membership, User
from community.models.base import today_in_amsterdam, utcnow
from community.notifications.services import notify


def experts_of(case: Case) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == case.community_id,
                policy.active_memberships(role="expert"),
            )
            .order_by(User.name)
        )
    )


def request_experts(
    user: User, case: Case, expert_ids: list[int], due_on: date, ip: str | None
) -> list[ExpertRequest]:
    policy.require(policy.can_request_experts(user, case))
    if due_on < today_in_amsterdam():
        raise DomainError("due_on", _("Kies een datum vandaag of later."))
    experts = {expert.id: expert for expert in experts_of(case)}
    if not expert_ids or any(expert_id not in experts for expert_id in expert_ids):
        raise DomainError("experts", _("Kies een of meer deskundigen van deze leergemeenschap."))
    asked = set(
        db.session.scalars(
            select(ExpertRequest.expert_id)
            .where(ExpertRequest.case_id == case.id)
            .with_for_update()
        )
    )
    created = []
    for expert_id in expert_ids:
        if expert_id in asked:
            continue
        request = ExpertRequest(
            case_id=case.id, expert_id=expert_id, requested_by_id=user.id, due_on=due_on
        )
        db.session.add(request)
        created.append(request)
        notify(
            experts[expert_id],
            "expert_requested",
            community=case.community,
            actor=user,
            target=case,
            due_on=format_day_plain(due_on),
            **case_data(case),
        )
    db.session.flush()
    audit.record(
        "case.experts_requested",
        actor=user,
        target=case,
        community_id=case.community_id,
        ip=ip,
        experts=expert_ids,
    )
    return created


def _open_requests_to(user: User, member_of: list[int]) -> ColumnElement[bool]:
    return and_(
        ExpertRequest.expert_id == user.id,
        ExpertRequest.answered_at.is_(None),
        Case.community_id.in_(member_of),
        Case.phase.in_(("questions", "advice")),
    )


def open_requests_for(user: User) -> list[ExpertRequest]:
    """Open requests to this expert, in communities where they are still an active member."""
    member_of = policy.member_community_ids(user)
    if not member_of:
        return []
    return list(
        db.session.scalars(
            select(ExpertRequest)
            .join(Case, Case.id == ExpertRequest.case_id)
            .where(_open_requests_to(user, member_of))
            .order_by(ExpertRequest.due_on, ExpertRequest.id)
        )
    )


def open_request_rows(user: User, limit: int) -> list[Any]:
    """The first `limit` of `open_requests_for(user)` as plain rows (the home page)."""
    member_of = policy.member_community_ids(user)
    if not member_of:
        return []
    return list(
        db.session.execute(
            select(
                ExpertRequest.due_on,
                Case.id.label("case_id"),
                Case.title,
                Community.slug,
                Community.name.label("community_name"),
            )
            .join(Case, Case.id == ExpertRequest.case_id)
            .join(Community, Community.id == Case.community_id)
            .where(_open_requests_to(user, member_of))
            .order_by(ExpertRequest.due_on, ExpertRequest.id)
            .limit(limit)
        )
    )


def open_request_count_for(user: User) -> int:
    """How many `open_requests_for(user)` there are (the home page shows no more)."""
    member_of = policy.member_community_ids(user)
    if not member_of:
        return 0
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(ExpertRequest)
            .join(Case, Case.id == ExpertRequest.case_id)
            .where(_open_requests_to(user, member_of))
        )
        or 0
    )


def open_requests_on(case: Case) -> list[Any]:
    """The case page's open requests: who was asked, and by when (plain rows, no case)."""
    return list(
        db.session.execute(
            select(User.name.label("expert_name"), ExpertRequest.due_on)
            .join(User, User.id == ExpertRequest.expert_id)
            .where(ExpertRequest.case_id == case.id, ExpertRequest.answered_at.is_(None))
            .order_by(ExpertRequest.due_on, ExpertRequest.id)
        )
    )


def notify_overdue(today: date | None = None) -> int:
    """Tell the moderators once about each request past its due date (run by the worker).

    Only requests that still matter: the case is open for advice, the community is not
    archived and the expert is still an active expert there. Each request is claimed
    with a conditional update, so two workers never report the same one twice.
    """
    today = today or today_in_amsterdam()
    expert_still_there = (
        select(Membership.id)
        .where(
            Membership.community_id == Case.community_id,
            Membership.user_id == ExpertRequest.expert_id,
            policy.active_memberships(role="expert"),
        )
        .exists()
    )
    candidates = db.session.scalars(
        select(ExpertRequest)
        .join(Case, Case.id == ExpertRequest.case_id)
        .join(Community, Community.id == Case.community_id)
        .where(
            ExpertRequest.answered_at.is_(None),
            ExpertRequest.overdue_notified_at.is_(None),
            ExpertRequest.due_on < today,
            Case.phase.in_(("questions", "advice")),
            Community.archived_at.is_(None),
            expert_still_there,
        )
    ).all()
    overdue = []
    for request in candidates:
        claimed = db.session.execute(
            update(ExpertRequest)
            .where(ExpertRequest.id == request.id, ExpertRequest.overdue_notified_at.is_(None))
            .values(overdue_notified_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0):
            overdue.append(request)
    for request in overdue:
        case = request.case
        for moderator in moderators_of(case.community):
            notify(
                moderator,
                "expert_request_overdue",
                community=case.community,
                target=case,
                expert_name=request.expert.name,
                **case_data(case),
            )
    return len(overdue)
