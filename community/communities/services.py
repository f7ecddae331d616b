"""Communities: creation, settings, archiving."""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from community import audit, markdown, policy
from community.exceptions import DomainError
from community.extensions import db
from community.models import Community, Membership, Theme, User
from community.models.base import utcnow
from community.seed import slugify

SUMMARY_LENGTH = 200


def _summary(html: str) -> str:
    text = " ".join(nh3.clean(html, tags=set()).split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "leergemeenschap"
    taken = set(db.session.scalars(select(Community.slug).where(Community.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _theme(theme_id: int | None) -> Theme | None:
    if not theme_id:
        return None
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise DomainError("theme", _("Kies een thema uit de lijst."))
    return theme


@dataclass(frozen=True)
class CommunityData:
    """What the community form may set; nothing else reaches the model."""

    name: str
    description: str
    theme_id: int | None
    visibility: str
    method: str
    review_new_members: bool = False


def _apply(community: Community, data: CommunityData) -> None:
    community.name = data.name.strip()
    community.description = data.description.strip()
    community.description_html = markdown.render(community.description)
    community.summary = _summary(community.description_html)
    community.theme = _theme(data.theme_id)
    community.visibility = data.visibility
    community.method = data.method
    community.review_new_members = data.review_new_members


def create_community(actor: User, data: CommunityData, ip: str | None) -> Community:
    """Create a community; the creating administrator becomes its first moderator."""
    policy.require(policy.can_create_community(actor))
    community = Community(slug=_unique_slug(data.name), created_by_id=actor.id)
    _apply(community, data)
    db.session.add(community)
    db.session.flush()
    db.session.add(
        Membership(
            user_id=actor.id,
            community_id=community.id,
            role="moderator",
            status="active",
            decided_by_id=actor.id,
            decided_at=utcnow(),
        )
    )
    db.session.flush()
    actor.forget_memberships()
    audit.record(
        "community.created",
        actor=actor,
        target=community,
        community_id=community.id,
        ip=ip,
        visibility=data.visibility,
    )
    return community


def update_community(
    actor: User, community: Community, data: CommunityData, ip: str | None
) -> None:
    policy.require(policy.can_edit_community(actor, community))
    _apply(community, data)
    audit.record(
        "community.updated",
        actor=actor,
        target=community,
        community_id=community.id,
        ip=ip,
        visibility=data.visibility,
        method=data.method,
    )


def set_archived(actor: User, community: Community, archived: bool, ip: str | None) -> None:
    policy.require(policy.can_archive_community(actor, community))
    community.archived_at = utcnow() if archived else None
    audit.record(
        "community.archived" if archived else "community.unarchived",
        actor=actor,
        target=community,
        community_id=community.id,
        ip=ip,
    )


def member_counts(community_ids: list[int]) -> dict[int, int]:
    if not community_ids:
        return {}
    rows = db.session.execute(_MEMBER_COUNTS, {"community_ids": community_ids}).all()
    return {community_id: count for community_id, count in rows}


# Built once (the ids are a parameter): building the statement cost as much as running it.
_MEMBER_COUNTS = (
    select(Membership.community_id, func.count())
    .where(
        Membership.community_id.in_(bindparam("community_ids", expanding=True)),
        policy.active_memberships(),
    )
    .group_by(Membership.community_id)
)
