"""Cases (casussen), their contributions, revisions, attachments and expert requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow
from community.models.community import Community, _in
from community.models.organisation import Organisation, Theme
from community.models.user import User

PHASES = ("draft", "questions", "advice", "reflection", "closed")
KINDS = ("question", "answer", "advice", "expert_advice", "reflection", "comment")
ATTACHMENT_OWNERS = ("case", "contribution", "approach")


class Case(db.Model):  # type: ignore[name-defined]
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(_in("phase", PHASES), name="phase"),
        UniqueConstraint("author_id", "idempotency_key"),
        # A community's case list: its order, filter and count (who may see a case) from
        # the index alone, without reading the wide case rows (docs/PERFORMANCE.md).
        Index(
            "ix_cases_listing",
            "community_id",
            "last_activity_at",
            "id",
            "phase",
            "author_id",
            "hidden_at",
        ),
        Index("ix_cases_community_phase", "community_id", "phase"),
        # The few hidden cases, looked up for every notification count.
        Index(
            "ix_cases_hidden",
            "hidden_at",
            sqlite_where=text("hidden_at IS NOT NULL"),
            postgresql_where=text("hidden_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    context: Mapped[str] = mapped_column(Text, default="")
    context_html: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(Text, default="")
    question_html: Mapped[str] = mapped_column(Text, default="")
    tried: Mapped[str] = mapped_column(Text, default="")
    tried_html: Mapped[str] = mapped_column(Text, default="")
    stakeholders: Mapped[str] = mapped_column(Text, default="")
    stakeholders_html: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[str] = mapped_column(String(12), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Terugkoppeling: three months after closing the author is asked what came of it.
    follow_up: Mapped[str] = mapped_column(Text, default="")
    follow_up_html: Mapped[str] = mapped_column(Text, default="")
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Moderation: hidden (soft; the text stays) and locked against new contributions.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_reason: Mapped[str | None] = mapped_column(String(500))

    community: Mapped[Community] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    theme: Mapped[Theme | None] = relationship(lazy="joined")


class CaseRevision(db.Model):  # type: ignore[name-defined]
    """The text of a case before an edit: the case's history."""

    __tablename__ = "case_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    context: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    tried: Mapped[str] = mapped_column(Text)
    stakeholders: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    editor: Mapped[User | None] = relationship(lazy="joined")


class Contribution(db.Model):  # type: ignore[name-defined]
    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("phase", PHASES), name="phase"),
        UniqueConstraint("case_id", "author_id", "idempotency_key"),
        Index("ix_contributions_case_created", "case_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    phase: Mapped[str] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    valuable: Mapped[bool] = mapped_column(default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    # A new member's contribution waiting for a moderator (see Community.review_new_members).
    pending_review: Mapped[bool] = mapped_column(default=False, server_default=false())

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    case: Mapped[Case] = relationship()


class ContributionRevision(db.Model):  # type: ignore[name-defined]
    __tablename__ = "contribution_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Attachment(db.Model):  # type: ignore[name-defined]
    """A stored file; who may download it follows from its owner's community."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(_in("owner_type", ATTACHMENT_OWNERS), name="owner_type"),
        Index("ix_attachments_owner", "owner_type", "owner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int]
    original_filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ExpertRequest(db.Model):  # type: ignore[name-defined]
    """The author or a moderator asks an expert of the community for advice by a date."""

    __tablename__ = "expert_requests"
    __table_args__ = (UniqueConstraint("case_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship(lazy="joined")
    expert: Mapped[User] = relationship(foreign_keys=[expert_id], lazy="joined")
