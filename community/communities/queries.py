"""Read-only queries for community pages, each a bounded number of statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.orm import lazyload, load_only, selectinload
from sqlalchemy.sql import Select

from community import policy
from community.extensions import db
from community.models import (
    AuditEvent,
    Community,
    Invitation,
    Membership,
    Organisation,
    Theme,
    User,
)
from community.models.base import utcnow

ROLE_ORDER = {"moderator": 0, "expert": 1, "member": 2}


def directory(user: Any, theme_slug: str | None) -> Select[tuple[Community]]:
    """The communities the user may know of (`policy.visible_communities`), not archived,
    with what the directory shows (the theme's name comes from the page's theme list)."""
    query = (
        select(Community)
        .where(policy.visible_communities(user), Community.archived_at.is_(None))
        .options(
            load_only(
                Community.name,
                Community.slug,
                Community.summary,
                Community.theme_id,
                Community.visibility,
                Community.archived_at,
            ),
            lazyload(Community.theme),
        )
    )
    if theme_slug:
        query = query.join(Theme, Theme.id == Community.theme_id).where(Theme.slug == theme_slug)
    return query.order_by(Community.name, Community.id)


def my_communities(user: Any) -> list[Community]:
    """The user's communities, with what the home page shows of them."""
    if not policy.member_community_ids(user):
        return []
    return list(
        db.session.scalars(
            select(Community)
            .where(policy.member_communities(user))
            .order_by(Community.name)
            .options(
                load_only(Community.name, Community.slug, Community.theme_id, Community.archived_at)
            )
        )
    )


def themes() -> list[Theme]:
    return list(db.session.scalars(_THEMES))


_THEMES = select(Theme).order_by(Theme.pillar, Theme.name_nl)  # built once


def active_members(community: Community) -> Select[tuple[Membership]]:
    return (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.community_id == community.id, policy.active_memberships())
        .options(selectinload(Membership.user).selectinload(User.expertise))
        .order_by(Membership.role.desc(), User.name, Membership.id)
    )


# The members page shows the oldest this many join requests; the rest after those.
REQUESTS_SHOWN = 50


def open_requests(community: Community) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.community_id == community.id, Membership.status == "requested")
            .order_by(Membership.updated_at, Membership.id)
            .limit(REQUESTS_SHOWN)
        )
    )


def open_invitations(community: Community) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.community_id == community.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc())
        )
    )


def member_organisations(community: Community) -> list[Row[tuple[int, str, str]]]:
    """Id, name and kind of the organisations of the active members (all the page shows)."""
    return list(db.session.execute(_MEMBER_ORGANISATIONS, {"community_id": community.id}))


_MEMBER_ORGANISATIONS = (  # built once: the community is a parameter
    select(Organisation.id, Organisation.name, Organisation.kind)
    .join(User, User.organisation_id == Organisation.id)
    .join(
        Membership,
        and_(Membership.user_id == User.id, Membership.community_id == bindparam("community_id")),
    )
    .where(policy.active_memberships())
    .distinct()
    .order_by(Organisation.name, Organisation.id)
)


def history(community: Community) -> Select[tuple[AuditEvent]]:
    return (
        select(AuditEvent)
        .where(AuditEvent.community_id == community.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )


def users_by_id(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
