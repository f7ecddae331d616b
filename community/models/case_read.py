"""How far a member has read a case: the home page's "new since you last looked"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.extensions import db
from community.models.base import UTCDateTime, utcnow


class CaseRead(db.Model):  # type: ignore[name-defined]
    """The last time the user opened the case page (one row per user and case).

    Written with one upsert after the case page was served (`cases.reads`); never read
    by the case page itself. Contributions created after `read_at` are unread.
    """

    __tablename__ = "case_reads"
    __table_args__ = (UniqueConstraint("user_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
