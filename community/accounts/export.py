"""The user's own data (AVG right of access): JSON, and a zip with their attachments."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from sqlalchemy import select

from community import storage
from community.extensions import db
from community.models import (
    Adoption,
    Approach,
    Attachment,
    Case,
    Community,
    Contribution,
    Membership,
    Rsvp,
    User,
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_account(user: User) -> dict[str, Any]:
    """Everything the platform stores about the user and everything they wrote."""
    names = {c.id: c.name for c in db.session.scalars(select(Community))}
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    cases = db.session.scalars(select(Case).where(Case.author_id == user.id).order_by(Case.id))
    contributions = db.session.scalars(
        select(Contribution).where(Contribution.author_id == user.id).order_by(Contribution.id)
    )
    approaches = db.session.scalars(
        select(Approach).where(Approach.author_id == user.id).order_by(Approach.id)
    )
    adoptions = db.session.scalars(select(Adoption).where(Adoption.updated_by_id == user.id))
    rsvps = db.session.scalars(select(Rsvp).where(Rsvp.user_id == user.id))
    return {
        "profile": {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "organisation": user.organisation.name if user.organisation else None,
            "job_title": user.job_title,
            "bio": user.bio,
            "expertise": [theme.name_nl for theme in user.expertise],
            "platform_role": user.platform_role,
            "status": user.status,
            "locale": user.locale,
            "email_mode": user.email_mode,
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
            "two_factor_enabled": user.totp_secret is not None,
        },
        "memberships": [
            {
                "community": names.get(m.community_id),
                "role": m.role,
                "status": m.status,
                "motivation": m.motivation,
                "since": _iso(m.created_at),
            }
            for m in memberships
        ],
        "cases": [
            {
                "id": c.id,
                "community": names.get(c.community_id),
                "title": c.title,
                "phase": c.phase,
                "context": c.context,
                "question": c.question,
                "tried": c.tried,
                "stakeholders": c.stakeholders,
                "follow_up": c.follow_up,
                "created_at": _iso(c.created_at),
            }
            for c in cases
        ],
        "contributions": [
            {
                "id": c.id,
                "case_id": c.case_id,
                "kind": c.kind,
                "body": c.body,
                "created_at": _iso(c.created_at),
            }
            for c in contributions
        ],
        "approaches": [
            {
                "id": a.id,
                "title": a.title,
                "summary": a.summary,
                "problem": a.problem,
                "steps": a.steps,
                "results": a.results,
                "scope": a.scope,
            }
            for a in approaches
        ],
        "adoptions": [
            {"approach_id": a.approach_id, "status": a.status, "note": a.note} for a in adoptions
        ],
        "meeting_responses": [{"meeting_id": r.meeting_id, "response": r.response} for r in rsvps],
    }


def export_zip(user: User) -> bytes:
    """data.json plus the files the user uploaded."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(export_account(user), ensure_ascii=False, indent=2)
        )
        files = db.session.scalars(select(Attachment).where(Attachment.uploaded_by_id == user.id))
        for attachment in files:
            try:
                path = storage.path_of(attachment.stored_name)
                archive.write(path, f"bijlagen/{attachment.id}-{attachment.original_filename}")
            except (OSError, ValueError):
                continue  # a file that is gone from the store is left out
    return out.getvalue()
