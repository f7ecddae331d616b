"""One row per searchable object, kept in sync with it in the same transaction.

The full-text index on top of this table is backend specific and created by
`community.search_ddl`: an FTS5 table with triggers on SQLite, a generated
`tsvector` column (Dutch configuration) with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from community.extensions import db
from community.models.base import UTCDateTime, utcnow

SEARCH_KINDS = ("case", "contribution", "approach", "meeting")


class SearchDocument(db.Model):  # type: ignore[name-defined]
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        Index("ix_search_documents_community", "community_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int]
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    # "library" only for approaches approved for the library; everything else "community".
    scope: Mapped[str] = mapped_column(String(10), default="community", index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    case_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # Access and filter tokens for the full-text index, e.g. "c12 kcase t3" (tags_for).
    tags: Mapped[str] = mapped_column(String(120), default="", server_default=text("''"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the object was written (a case: published); the period filter reads it.
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
