"""A membership as plain values: what the policy reads of a user's own memberships.

The login check loads the current user's memberships in its one statement as these
(no ORM rows with their joined user and community); `User.memberships_by_community()`
returns them. Services that change a membership load the ORM row
(`User.membership_row`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql import Select

from community.extensions import db

# The columns, in this order, everywhere memberships are read as rows.
COLUMNS = ("id", "community_id", "status", "role", "follow", "invitation_expires_at")


@dataclass(frozen=True, slots=True)
class MembershipRow:
    id: int
    user_id: int
    community_id: int
    status: str
    role: str
    follow: str
    invitation_expires_at: datetime | None

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def community(self) -> Any:
        """The community (from the session's identity map when loaded already)."""
        from community.models.community import Community

        return db.session.get(Community, self.community_id)


def as_utc(value: datetime | str | None) -> datetime | None:
    """A stored timestamp as aware UTC, also from its JSON text (as `UTCDateTime` does)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def of_user(user_id: int) -> Select[Any]:
    from community.models.community import Membership

    return select(*(getattr(Membership, name) for name in COLUMNS)).where(
        Membership.user_id == user_id
    )


def from_values(user_id: int, values: Any) -> MembershipRow:
    mid, community_id, status, role, follow, expires = values
    return MembershipRow(mid, user_id, community_id, status, role, follow or "all", as_utc(expires))
