"""Flags: a member reports content to the community's moderators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow
from community.models.community import Community, _in
from community.models.user import User

FLAG_TARGETS = ("case", "contribution", "approach")
FLAG_REASONS = ("personal_data", "offensive", "off_topic", "confidential", "other")
FLAG_STATUSES = ("open", "handled", "dismissed")


class Flag(db.Model):  # type: ignore[name-defined]
    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_type", "target_id"),
        CheckConstraint(_in("target_type", FLAG_TARGETS), name="target_type"),
        CheckConstraint(_in("reason", FLAG_REASONS), name="reason"),
        CheckConstraint(_in("status", FLAG_STATUSES), name="status"),
        Index("ix_flags_community_status", "community_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id], lazy="joined")
    community: Mapped[Community] = relationship(lazy="joined")
