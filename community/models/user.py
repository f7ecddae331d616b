"""Accounts: users, their expertise themes, and the anonymous visitor."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask import g, has_app_context
from flask_login import AnonymousUserMixin
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow
from community.models.organisation import Organisation, Theme

USER_STATUSES = ("pending", "active", "suspended", "deleted")
EMAIL_MODES = ("each", "daily", "weekly", "none")
PLATFORM_ROLES = ("member", "admin")
LOCALES = ("nl", "en")

user_expertise = Table(
    "user_expertise",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class User(db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in USER_STATUSES) + ")", name="status"
        ),
        CheckConstraint(
            "platform_role IN (" + ", ".join(f"'{r}'" for r in PLATFORM_ROLES) + ")",
            name="platform_role",
        ),
        # Addresses are stored lower-cased, so this is a case-insensitive uniqueness.
        UniqueConstraint("email"),
        # Lets lists of members reach their organisation without reading the user rows.
        Index("ix_users_id_organisation", "id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    platform_role: Mapped[str] = mapped_column(String(10), default="member")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    # Notification e-mail: "each" (at once), "daily" or "weekly" digest, or "none".
    email_mode: Mapped[str] = mapped_column(String(8), default="each", server_default="each")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The personal calendar feed: a long random token, renewable (the old one stops at once).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]  # a code is accepted once: not again in its time step
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    # Raised with every change to what the account may reach (status, role, second
    # factor, password, sessions, memberships): community/accounts/access_version.py.
    access_version: Mapped[int] = mapped_column(default=0, server_default="0")
    reset_nonce: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    expertise: Mapped[list[Theme]] = relationship(
        secondary=user_expertise, order_by="Theme.name_nl"
    )

    # Flask-Login protocol ------------------------------------------------
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_admin(self) -> bool:
        return self.platform_role == "admin" and self.is_active

    def get_id(self) -> str:
        # The session token is part of the id, so rotating it ends every session
        # and every remember-me cookie of this user on the server side. The browser's
        # own session id follows, so ending one session also ends its remember cookie.
        from flask import has_request_context, session

        sid = session.get("sid", "") if has_request_context() else ""
        return f"{self.id}:{self.session_token}:{sid}"

    def rotate_session_token(self) -> None:
        self.session_token = new_token()

    def membership_in(self, community: Any) -> Any:
        """This user's membership in `community` (any status) as plain values, or None.

        All of the user's memberships are loaded once per request (for the signed-in
        user, by the login check's one statement), so policy checks on lists cost no
        extra queries. To change the membership, load its row: `membership_row`.
        """
        return self.memberships_by_community().get(community.id)

    def memberships_by_community(self) -> dict[int, Any]:
        """All memberships of this user (any status) as `MembershipRow`s, by community id."""
        from community.models import membership_row

        cache = g.setdefault("leerkring_memberships", {}) if has_app_context() else {}
        if self.id not in cache:
            rows = db.session.execute(membership_row.of_user(self.id))
            cache[self.id] = {
                row.community_id: membership_row.from_values(self.id, row) for row in rows
            }
        memberships: dict[int, Any] = cache[self.id]
        return memberships

    def membership_row(self, community: Any) -> Any:
        """The ORM row of this user's membership in `community`, to change it; or None."""
        from community.models.community import Membership

        return db.session.scalar(
            select(Membership).where(
                Membership.user_id == self.id, Membership.community_id == community.id
            )
        )

    def forget_memberships(self) -> None:
        if has_app_context():
            g.pop("leerkring_memberships", None)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class AnonymousUser(AnonymousUserMixin):
    """The visitor who is not logged in; policies take it like any user."""

    id = None
    platform_role = "anonymous"
    status = "anonymous"
    is_admin = False
    locale = None

    def membership_in(self, community: Any) -> None:
        return None

    def membership_row(self, community: Any) -> None:
        return None

    def memberships_by_community(self) -> dict[int, Any]:
        return {}


class RecoveryCode(db.Model):  # type: ignore[name-defined]
    """One of ten single-use codes for a lost second-factor device (only the hash is kept)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserSession(db.Model):  # type: ignore[name-defined]
    """A signed-in browser: shown on the account page, and ended from there."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    device: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
