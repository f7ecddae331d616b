"""Learning communities, memberships and invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow
from community.models.organisation import Theme
from community.models.user import User

VISIBILITIES = ("closed", "secret")
METHODS = ("incident", "open", "consult")
COMMUNITY_ROLES = ("member", "expert", "moderator")
MEMBERSHIP_STATUSES = ("requested", "invited", "active", "declined", "removed", "left")
FOLLOW_LEVELS = ("all", "mine", "none")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Community(db.Model):  # type: ignore[name-defined]
    """A leergemeenschap: closed (listed, content for members) or secret (invitation only)."""

    __tablename__ = "communities"
    __table_args__ = (
        CheckConstraint(_in("visibility", VISIBILITIES), name="visibility"),
        CheckConstraint(_in("method", METHODS), name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(String(300), default="")
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[str] = mapped_column(String(10), default="closed", index=True)
    method: Mapped[str] = mapped_column(String(10), default="incident")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "Nieuwe leden eerst beoordelen": a new member's first contributions wait for a moderator.
    review_new_members: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    theme: Mapped[Theme | None] = relationship(lazy="joined")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"


class Membership(db.Model):  # type: ignore[name-defined]
    """One row per (user, community); its history of decisions is in the audit log."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "community_id"),
        CheckConstraint(_in("role", COMMUNITY_ROLES), name="role"),
        CheckConstraint(_in("status", MEMBERSHIP_STATUSES), name="status"),
        Index("ix_memberships_community_status_user", "community_id", "status", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10), default="member")
    status: Mapped[str] = mapped_column(String(10))
    motivation: Mapped[str] = mapped_column(Text, default="")
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # For status "invited": the invitation counts only until this moment.
    invitation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the member hears about: "all" activity, only "mine" (own cases, requests to
    # them), or "none" (membership matters only).
    follow: Mapped[str] = mapped_column(String(5), default="all", server_default="all")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    community: Mapped[Community] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.status == "active"


class Invitation(db.Model):  # type: ignore[name-defined]
    """An e-mailed, single-use invitation; only the token's hash is stored."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(_in("role", ("member", "expert")), name="role"),
        Index("ix_invitations_community_open", "community_id", "accepted_at", "revoked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    community: Mapped[Community] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
