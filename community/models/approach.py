"""Approaches (aanpakken), their versions and sources, and adoptions by organisations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow
from community.models.case import Case
from community.models.community import Community, _in
from community.models.organisation import Organisation, Theme
from community.models.user import User

SCOPES = ("community", "library")
ADOPTION_STATUSES = ("considering", "piloting", "implemented", "stopped")
APPROACH_TEXT_FIELDS = (
    "summary",
    "problem",
    "steps",
    "results",
    "success_factors",
    "pitfalls",
)


class Approach(db.Model):  # type: ignore[name-defined]
    __tablename__ = "approaches"
    __table_args__ = (
        CheckConstraint(_in("scope", SCOPES), name="scope"),
        UniqueConstraint("author_id", "idempotency_key"),
        Index("ix_approaches_scope_updated", "scope", "updated_at"),
        # Covers the library (who may see an approach, newest first), its count and its
        # organisation filter without reading the wide approach rows.
        Index(
            "ix_approaches_listing",
            "updated_at",
            "id",
            "scope",
            "library_approved_at",
            "community_id",
            "organisation_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    problem_html: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[str] = mapped_column(Text, default="")
    steps_html: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    results_html: Mapped[str] = mapped_column(Text, default="")
    success_factors: Mapped[str] = mapped_column(Text, default="")
    success_factors_html: Mapped[str] = mapped_column(Text, default="")
    pitfalls: Mapped[str] = mapped_column(Text, default="")
    pitfalls_html: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[str] = mapped_column(String(10), default="community")
    library_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    library_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    library_approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    community: Mapped[Community] = relationship(lazy="joined")
    case: Mapped[Case | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    theme: Mapped[Theme | None] = relationship(lazy="joined")


class ApproachVersion(db.Model):  # type: ignore[name-defined]
    """The text of an approach before an edit."""

    __tablename__ = "approach_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    approach_id: Mapped[int] = mapped_column(
        ForeignKey("approaches.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text)
    steps: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text)
    success_factors: Mapped[str] = mapped_column(Text)
    pitfalls: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApproachSource(db.Model):  # type: ignore[name-defined]
    """A contribution (marked valuable on the source case) that the approach drew on."""

    __tablename__ = "approach_sources"
    __table_args__ = (UniqueConstraint("approach_id", "contribution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    approach_id: Mapped[int] = mapped_column(
        ForeignKey("approaches.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))


class Adoption(db.Model):  # type: ignore[name-defined]
    """'Wij passen dit toe': one row per approach and organisation, updated over time."""

    __tablename__ = "adoptions"
    __table_args__ = (
        UniqueConstraint("approach_id", "organisation_id"),
        CheckConstraint(_in("status", ADOPTION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    approach_id: Mapped[int] = mapped_column(ForeignKey("approaches.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
