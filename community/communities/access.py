"""Loading a community for a request: 404 for whoever may not know it, 403 for missing roles."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam, select

from community import policy
from community.extensions import db
from community.models import Community, Membership


def visible_community(slug: str) -> Community:
    """The community, or 404 when it does not exist or the user may not know of it."""
    community = db.session.scalar(_BY_SLUG, {"slug": slug})
    if community is None or not policy.can_see_community(current_user, community):
        abort(404)
    return community


_BY_SLUG = select(Community).where(Community.slug == bindparam("slug"))  # built once


def member_community(slug: str) -> Community:
    """Member-only pages: non-members get the same 404 as for a missing community."""
    return require_member(visible_community(slug))


def require_member(community: Community | None) -> Community:
    """The community itself when the user may enter it, else the 404 of a missing one."""
    if (
        community is None
        or not policy.can_see_community(current_user, community)
        or not policy.can_enter_community_admin(current_user, community)
    ):
        abort(404)
    return community


def moderated_community(slug: str) -> Community:
    """Moderator actions: 404 for non-members, 403 for members without the role."""
    community = member_community(slug)
    policy.require(policy.can_moderate_community(current_user, community))
    return community


def membership_in_or_404(
    community: Community, *, membership_id: int | None = None, user_id: int | None = None
) -> Membership:
    """A membership row of *this* community (never derived from another community's URL)."""
    query = select(Membership).where(Membership.community_id == community.id)
    if membership_id is not None:
        query = query.where(Membership.id == membership_id)
    if user_id is not None:
        query = query.where(Membership.user_id == user_id)
    membership = db.session.scalar(query)
    if membership is None:
        abort(404)
    return membership
