"""The user's own data (AVG right of access): JSON, and a zip with their attachments.

Everything the platform keeps about the person is in it; what goes in and what stays out
(others' texts, secrets) is set out in `export_sections` and docs/PRIVACY.md. Each part is
one query, so the export costs the same for ten rows and for ten thousand.
`tests/test_export.py` checks these tables against every column of the schema that names
a user, so a new table or column cannot be left out unnoticed.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import select

from community import storage
from community.accounts import export_activity as activity
from community.accounts import export_sections as sections
from community.accounts.export_sections import Row, iso
from community.extensions import db
from community.models import Attachment, User

SECTIONS: dict[str, Callable[[User], list[Row]]] = {
    "memberships": sections.memberships,
    "membership_decisions": sections.membership_decisions,
    "invitations_sent": sections.invitations_sent,
    "invitations_received": sections.invitations_received,
    "communities_created": sections.communities_created,
    "cases": sections.cases,
    "case_revisions": sections.case_revisions,
    "contributions": sections.contributions,
    "moderation": sections.moderation,
    "attachments": sections.attachments,
    "expert_requests_received": partial(sections.expert_requests, received=True),
    "expert_requests_sent": partial(sections.expert_requests, received=False),
    "approaches": activity.approaches,
    "approach_versions": activity.approach_versions,
    "library_approvals": activity.library_approvals,
    "adoptions": activity.adoptions,
    "meetings_planned": activity.meetings_planned,
    "meeting_responses": activity.meeting_responses,
    "cases_read": activity.cases_read,
    "appreciations": activity.appreciations,
    "reports_filed": activity.reports_filed,
    "reports_handled": activity.reports_handled,
    "notifications": activity.notifications,
    "notifications_about_you": activity.notifications_about_you,
    "audit_log": activity.audit_log,
    "sessions": activity.sessions,
    "recovery_codes": activity.recovery_codes,
    "emails": activity.emails,
}

# Every column that names a user, and the part of the export that holds the rows it names
# (each row under its own "id"). "profile" is the user row itself.
USER_REFERENCES: dict[tuple[str, str], str] = {
    ("user_expertise", "user_id"): "profile.expertise",
    ("memberships", "user_id"): "memberships",
    ("memberships", "decided_by_id"): "membership_decisions",
    ("invitations", "invited_by_id"): "invitations_sent",
    ("invitations", "accepted_by_id"): "invitations_received",
    ("invitations", "email"): "invitations_received",
    ("communities", "created_by_id"): "communities_created",
    ("cases", "author_id"): "cases",
    ("cases", "hidden_by_id"): "moderation",
    ("case_revisions", "editor_id"): "case_revisions",
    ("contributions", "author_id"): "contributions",
    ("contributions", "hidden_by_id"): "moderation",
    ("attachments", "uploaded_by_id"): "attachments",
    ("expert_requests", "expert_id"): "expert_requests_received",
    ("expert_requests", "requested_by_id"): "expert_requests_sent",
    ("approaches", "author_id"): "approaches",
    ("approaches", "updated_by_id"): "approaches",
    ("approaches", "library_approved_by_id"): "library_approvals",
    ("approach_versions", "editor_id"): "approach_versions",
    ("adoptions", "updated_by_id"): "adoptions",
    ("meetings", "created_by_id"): "meetings_planned",
    ("rsvps", "user_id"): "meeting_responses",
    ("case_reads", "user_id"): "cases_read",
    ("appreciations", "user_id"): "appreciations",
    ("flags", "reporter_id"): "reports_filed",
    ("flags", "resolver_id"): "reports_handled",
    ("notifications", "recipient_id"): "notifications",
    ("notifications", "actor_id"): "notifications_about_you",
    ("notifications", "target_id"): "notifications_about_you",  # target_type "users"
    ("audit_events", "actor_id"): "audit_log",
    ("audit_events", "target_id"): "audit_log",  # target_type "users", or their membership
    ("user_sessions", "user_id"): "sessions",
    ("recovery_codes", "user_id"): "recovery_codes",
    ("outbox_messages", "recipient"): "emails",
    ("outbox_messages", "member_user_id"): "emails",
}

# Columns that hold an id without a foreign key, or an address, but never name a user.
NOT_A_USER: dict[tuple[str, str], str] = {
    ("audit_events", "community_id"): "a community",
    ("attachments", "owner_id"): "a case, contribution or approach (owner_type)",
    ("flags", "target_id"): "a case, contribution or approach (FLAG_TARGETS)",
    ("search_documents", "object_id"): "a case, contribution, approach or meeting",
    ("search_documents", "case_id"): "a case",
    ("outbox_messages", "member_of_community_id"): "a community",
}

# The user row: each column and the profile key that shows it (a secret only as a yes/no).
PROFILE_FIELDS: dict[str, str] = {
    "id": "id",
    "name": "name",
    "email": "email",
    "organisation_id": "organisation",
    "job_title": "job_title",
    "bio": "bio",
    "platform_role": "platform_role",
    "status": "status",
    "locale": "locale",
    "email_mode": "email_mode",
    "last_digest_at": "last_digest_at",
    "calendar_token": "calendar_feed_enabled",
    "totp_secret": "two_factor_enabled",
    "email_confirmed_at": "email_confirmed_at",
    "created_at": "created_at",
    "approved_at": "approved_at",
    "last_login_at": "last_login_at",
}
# Never exported, not even by the person themselves: a stolen export must not be a key.
SECRETS: dict[str, str] = {
    "password_hash": "the password's hash",
    "totp_secret": "the second factor's key (the export says only whether it is on)",
    "totp_last_step": "an internal counter against reusing a code",
    "session_token": "ends every session when changed",
    "access_version": "an internal counter raised with every change to the account's access",
    "reset_nonce": "makes a password-reset link single-use",
    "calendar_token": "the private calendar feed's address (only whether it is on)",
}


def _profile(user: User) -> Row:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "organisation": user.organisation.name if user.organisation else None,
        "job_title": user.job_title,
        "bio": user.bio,
        "expertise": [{"id": theme.id, "name": theme.name_nl} for theme in user.expertise],
        "platform_role": user.platform_role,
        "status": user.status,
        "locale": user.locale,
        "email_mode": user.email_mode,
        "last_digest_at": iso(user.last_digest_at),
        "calendar_feed_enabled": user.calendar_token is not None,
        "two_factor_enabled": user.totp_secret is not None,
        "email_confirmed_at": iso(user.email_confirmed_at),
        "created_at": iso(user.created_at),
        "approved_at": iso(user.approved_at),
        "last_login_at": iso(user.last_login_at),
    }


def export_account(user: User) -> dict[str, Any]:
    """Everything the platform stores about the user and everything they wrote."""
    data: dict[str, Any] = {"profile": _profile(user)}
    for name, section in SECTIONS.items():
        data[name] = section(user)
    # One query for the names of every community mentioned, as they are called now.
    mentioned = {
        row["community_id"]
        for name in SECTIONS
        for row in data[name]
        if row.get("community_id") is not None
    }
    names = sections.community_names(mentioned)
    for name in SECTIONS:
        for row in data[name]:
            if "community_id" in row:
                row["community"] = names.get(row["community_id"])
    return data


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
