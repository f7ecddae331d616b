"""Flags, hiding, locking: every moderator action has a reason and an audit row."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community import audit, policy, search
from community.exceptions import DomainError
from community.extensions import db
from community.models import Approach, Case, Community, Contribution, Flag, User
from community.models.base import utcnow
from community.notifications.services import notify, notify_members


def resolve_target(target_type: str, target_id: int) -> tuple[Any, Community | None, bool]:
    """The flagged object, its community, and whether the current user may see it."""
    from flask_login import current_user

    if target_type == "case":
        case = db.session.get(Case, target_id)
        return case, case.community if case else None, policy.can_view_case(current_user, case)
    if target_type == "contribution":
        contribution = db.session.get(Contribution, target_id)
        case = contribution.case if contribution else None
        return (
            contribution,
            case.community if case else None,
            policy.can_view_case(current_user, case),
        )
    approach = db.session.get(Approach, target_id)
    return (
        approach,
        approach.community if approach else None,
        policy.can_view_approach(current_user, approach),
    )


def flag(
    user: User, target_type: str, target_id: int, reason: str, details: str, ip: str | None
) -> Flag:
    _obj, community, visible = resolve_target(target_type, target_id)
    policy.require_visible(policy.can_flag(user, community, visible))
    assert community is not None
    item = Flag(
        reporter_id=user.id,
        community_id=community.id,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details.strip(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        raise DomainError(
            None, _("Je hebt dit al gerapporteerd. De moderatoren kijken ernaar.")
        ) from None
    audit.record(
        "flag.created",
        actor=user,
        target=item,
        community_id=community.id,
        ip=ip,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
    )
    notify_members(
        "flag_reported",
        community=community,
        role="moderator",
        exclude=user.id,
        target=item,
        reason=reason,
    )
    return item


def resolve_flag(user: User, item: Flag, status: str, resolution: str, ip: str | None) -> None:
    policy.require(policy.can_moderate_content(user, item.community) and item.status == "open")
    if not resolution.strip():
        raise DomainError("resolution", _("Geef een reden of toelichting."))
    item.status, item.resolution = status, resolution.strip()
    item.resolver_id, item.resolved_at = user.id, utcnow()
    audit.record(
        "flag.resolved",
        actor=user,
        target=item,
        community_id=item.community_id,
        ip=ip,
        status=status,
        reason=resolution.strip(),
    )
    reporter = db.session.get(User, item.reporter_id) if item.reporter_id else None
    if reporter is not None:
        notify(reporter, "flag_handled", community=item.community, actor=user, status=status)


def set_hidden(
    user: User, obj: Case | Contribution, hidden: bool, reason: str, ip: str | None
) -> None:
    case = obj if isinstance(obj, Case) else obj.case
    policy.require(policy.can_moderate_content(user, case.community))
    if not reason.strip():
        raise DomainError("reason", _("Geef een reden."))
    obj.hidden_at = utcnow() if hidden else None
    obj.hidden_by_id = user.id if hidden else None
    obj.hidden_reason = reason.strip() if hidden else None
    if isinstance(obj, Case):
        search.index_case(obj, with_contributions=not hidden)
    else:
        search.index_contribution(obj)
    kind = "case" if isinstance(obj, Case) else "contribution"
    audit.record(
        f"{kind}.{'hidden' if hidden else 'unhidden'}",
        actor=user,
        target=obj,
        community_id=case.community_id,
        ip=ip,
        reason=reason.strip(),
    )


def set_locked(user: User, case: Case, locked: bool, reason: str, ip: str | None) -> None:
    policy.require(policy.can_moderate_content(user, case.community))
    if not reason.strip():
        raise DomainError("reason", _("Geef een reden."))
    case.locked_at = utcnow() if locked else None
    case.locked_reason = reason.strip() if locked else None
    audit.record(
        f"case.{'locked' if locked else 'unlocked'}",
        actor=user,
        target=case,
        community_id=case.community_id,
        ip=ip,
        reason=reason.strip(),
    )


def pending_review_count(user: User) -> int:
    """Everything waiting in the user's review queue (the header's count), in one
    statement; no statement at all for someone who moderates nothing."""
    from community.moderation.queue import section_counts

    return sum(section_counts(user).values())


def move_case(user: User, case: Case, target: Community, reason: str, ip: str | None) -> None:
    """Move a case to another community the moderator moderates; everything follows it."""
    from sqlalchemy import update

    from community.models import Notification

    policy.require(
        policy.can_moderate_content(user, case.community)
        and policy.can_moderate_content(user, target)
        and target.archived_at is None
        and target.id != case.community_id
    )
    if not reason.strip():
        raise DomainError("reason", _("Geef een reden."))
    source_id = case.community_id
    case.community_id = target.id
    db.session.flush()
    db.session.refresh(case)
    # Notifications about the case move along, so the old community's members lose them too.
    db.session.execute(
        update(Notification)
        .where(Notification.target_type == "cases", Notification.target_id == case.id)
        .values(community_id=target.id)
        .execution_options(synchronize_session=False)
    )
    contribution_ids = select(Contribution.id).where(Contribution.case_id == case.id)
    db.session.execute(
        update(Flag)
        .where(
            ((Flag.target_type == "case") & (Flag.target_id == case.id))
            | ((Flag.target_type == "contribution") & Flag.target_id.in_(contribution_ids))
        )
        .values(community_id=target.id)
        .execution_options(synchronize_session=False)
    )
    search.index_case(case)
    audit.record(
        "case.moved",
        actor=user,
        target=case,
        community_id=source_id,
        ip=ip,
        to_community=target.id,
        reason=reason.strip(),
    )
    audit.record(
        "case.moved",
        actor=user,
        target=case,
        community_id=target.id,
        ip=ip,
        from_community=source_id,
        reason=reason.strip(),
    )


def moderated_communities(user: User) -> list[Community]:
    ids = policy.moderating_community_ids(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Community)
            .where(Community.id.in_(ids), Community.archived_at.is_(None))
            .order_by(Community.name)
        )
    )
