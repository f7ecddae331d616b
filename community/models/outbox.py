"""Outgoing e-mail, written in the same transaction as the change that caused it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from community.extensions import db
from community.models.base import UTCDateTime, utcnow


class OutboxMessage(db.Model):  # type: ignore[name-defined]
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Mail about a community's activity goes out only while the recipient is still an
    # active member of it when the message is delivered (the worker may run later).
    member_of_community_id: Mapped[int | None]
    member_user_id: Mapped[int | None]
    dropped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Digest and notification mail: the signed one-click unsubscribe address (RFC 8058),
    # sent as List-Unsubscribe; account mail (reset, confirmation) has none.
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))
