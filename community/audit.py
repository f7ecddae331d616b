"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from community.extensions import db
from community.models import AuditEvent


def record(
    action: str,
    *,
    actor: Any = None,
    target: Any = None,
    community_id: int | None = None,
    ip: str | None = None,
    **data: Any,
) -> AuditEvent:
    """Add an audit row to the current transaction; the request's commit stores it."""
    actor_id = getattr(actor, "id", None) if actor is not None else None
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        target_type=type(target).__tablename__ if target is not None else None,
        target_id=getattr(target, "id", None),
        community_id=community_id,
        data=data,
        ip=ip,
    )
    db.session.add(event)
    return event
