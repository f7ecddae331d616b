"""A world in which the person has a row in every table that names them (tests/test_export.py)."""

from __future__ import annotations

from datetime import date, timedelta

from community.models import (
    Adoption,
    Appreciation,
    Approach,
    ApproachVersion,
    Attachment,
    AuditEvent,
    Case,
    CaseRead,
    CaseRevision,
    Contribution,
    ContributionRevision,
    ExpertRequest,
    Flag,
    Invitation,
    Meeting,
    Membership,
    Notification,
    OutboxMessage,
    RecoveryCode,
    Rsvp,
    User,
    UserSession,
)
from community.models.base import utcnow

OTHERS_TEXT = "TEKST-VAN-EEN-ANDER"
ADMIN_IP = "203.0.113.9"


def build_world(db, user, other, admin, community, left, theme, n=0) -> dict[tuple[str, str], int]:
    """One row for the person in every table that names them; returns (table, column) -> id."""
    rows: dict[tuple[str, str], int] = {}
    now = utcnow()

    def add(obj, *keys):
        db.session.add(obj)
        db.session.flush()
        for key in keys:
            rows[key] = obj.id
        return obj

    if n == 0:
        user.expertise = [theme]
        rows[("user_expertise", "user_id")] = theme.id
        community.created_by_id = user.id
        rows[("communities", "created_by_id")] = community.id
        add(
            Membership(
                user_id=user.id, community_id=community.id, role="moderator", status="active"
            ),
            ("memberships", "user_id"),
        )
        add(Membership(user_id=user.id, community_id=left.id, status="left"))
        add(
            Membership(
                user_id=other.id,
                community_id=community.id,
                status="active",
                decided_by_id=user.id,
                decided_at=now,
                decision_message="Welkom!",
            ),
            ("memberships", "decided_by_id"),
        )
    else:
        rows[("user_expertise", "user_id")] = theme.id
        rows[("communities", "created_by_id")] = community.id
        rows[("memberships", "user_id")] = db.session.scalar(
            db.select(Membership.id).where(Membership.user_id == user.id)
        )
        third = User(
            name=f"Derde {n}", email=f"derde{n}@org.example", password_hash="x", status="active"
        )
        add(third)
        add(
            Membership(
                user_id=third.id,
                community_id=community.id,
                status="active",
                decided_by_id=user.id,
                decided_at=now,
            ),
            ("memberships", "decided_by_id"),
        )
    later = now + timedelta(days=14)
    add(
        Invitation(
            community_id=community.id,
            email=f"nieuw{n}@org.example",
            token_hash=f"uitnodiging-geheim-a{n}",
            invited_by_id=user.id,
            expires_at=later,
        ),
        ("invitations", "invited_by_id"),
    )
    add(
        Invitation(
            community_id=community.id,
            email=f"oud{n}@org.example",
            token_hash=f"uitnodiging-geheim-b{n}",
            invited_by_id=other.id,
            expires_at=later,
            accepted_at=now,
            accepted_by_id=user.id,
        ),
        ("invitations", "accepted_by_id"),
    )
    add(
        Invitation(
            community_id=community.id,
            email=user.email,
            token_hash=f"uitnodiging-geheim-c{n}",
            invited_by_id=other.id,
            expires_at=later,
        ),
        ("invitations", "email"),
    )
    own_case = add(
        Case(
            community_id=left.id,
            author_id=user.id,
            title=f"Eigen casus {n}",
            context="Mijn eigen context",
            phase="questions",
        ),
        ("cases", "author_id"),
    )
    others_case = add(
        Case(
            community_id=left.id,
            author_id=other.id,
            title=OTHERS_TEXT,
            context=OTHERS_TEXT,
            phase="questions",
            hidden_at=now,
            hidden_by_id=user.id,
            hidden_reason="Persoonsgegevens",
        ),
        ("cases", "hidden_by_id"),
    )
    add(
        CaseRevision(
            case_id=others_case.id,
            version=1,
            editor_id=user.id,
            title=OTHERS_TEXT,
            context=OTHERS_TEXT,
            question=OTHERS_TEXT,
            tried="",
            stakeholders="",
        ),
        ("case_revisions", "editor_id"),
    )
    own = add(
        Contribution(
            case_id=others_case.id,
            author_id=user.id,
            kind="question",
            phase="questions",
            body="Mijn eigen vraag",
            body_html="",
        ),
        ("contributions", "author_id"),
    )
    add(ContributionRevision(contribution_id=own.id, body="Mijn eerste versie"))
    others_contribution = add(
        Contribution(
            case_id=others_case.id,
            author_id=other.id,
            kind="comment",
            phase="questions",
            body="Een reactie van een ander",
            body_html="",
        )
    )
    add(
        Appreciation(contribution_id=others_contribution.id, user_id=user.id),
        ("appreciations", "user_id"),
    )
    add(
        Contribution(
            case_id=others_case.id,
            author_id=other.id,
            kind="comment",
            phase="questions",
            body=OTHERS_TEXT,
            body_html=OTHERS_TEXT,
            hidden_at=now,
            hidden_by_id=user.id,
            hidden_reason="Off-topic",
        ),
        ("contributions", "hidden_by_id"),
    )
    add(
        Attachment(
            owner_type="case",
            owner_id=own_case.id,
            original_filename="plan.pdf",
            stored_name=f"{n:032x}",
            media_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by_id=user.id,
        ),
        ("attachments", "uploaded_by_id"),
    )
    add(
        ExpertRequest(
            case_id=others_case.id,
            expert_id=user.id,
            requested_by_id=other.id,
            due_on=date(2099, 1, 1),
        ),
        ("expert_requests", "expert_id"),
    )
    add(
        ExpertRequest(
            case_id=own_case.id,
            expert_id=other.id,
            requested_by_id=user.id,
            due_on=date(2099, 1, 1),
        ),
        ("expert_requests", "requested_by_id"),
    )
    approach = add(
        Approach(
            community_id=community.id,
            author_id=user.id,
            title=f"Eigen aanpak {n}",
            summary="Mijn samenvatting",
        ),
        ("approaches", "author_id"),
    )
    add(
        Approach(
            community_id=community.id,
            author_id=other.id,
            updated_by_id=user.id,
            title=f"Door mij bijgewerkt {n}",
            summary="Mijn nieuwe versie",
        ),
        ("approaches", "updated_by_id"),
    )
    add(
        Approach(
            community_id=community.id,
            author_id=other.id,
            title=OTHERS_TEXT,
            summary=OTHERS_TEXT,
            scope="library",
            library_approved_at=now,
            library_approved_by_id=user.id,
        ),
        ("approaches", "library_approved_by_id"),
    )
    add(
        ApproachVersion(
            approach_id=approach.id,
            version=1,
            editor_id=user.id,
            title="Eerste titel",
            summary="Eerste samenvatting",
            problem="",
            steps="",
            results="",
            success_factors="",
            pitfalls="",
        ),
        ("approach_versions", "editor_id"),
    )
    add(
        Adoption(
            approach_id=approach.id,
            organisation_id=user.organisation_id,
            status="piloting",
            note="Wij proberen het",
            updated_by_id=user.id,
        ),
        ("adoptions", "updated_by_id"),
    )
    meeting = add(
        Meeting(
            community_id=community.id,
            title=f"Mijn bijeenkomst {n}",
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            created_by_id=user.id,
        ),
        ("meetings", "created_by_id"),
    )
    add(Rsvp(meeting_id=meeting.id, user_id=user.id, response="yes"), ("rsvps", "user_id"))
    add(CaseRead(user_id=user.id, case_id=others_case.id), ("case_reads", "user_id"))
    add(
        Flag(
            reporter_id=user.id,
            community_id=left.id,
            target_type="case",
            target_id=others_case.id,
            reason="personal_data",
            details="Er staat een naam in",
        ),
        ("flags", "reporter_id"),
    )
    add(
        Flag(
            reporter_id=other.id,
            community_id=community.id,
            target_type="approach",
            target_id=approach.id,
            reason="other",
            details=OTHERS_TEXT,
            status="handled",
            resolver_id=user.id,
            resolution="Aangepast",
            resolved_at=now,
        ),
        ("flags", "resolver_id"),
    )
    add(
        Notification(
            recipient_id=user.id,
            kind="case_published",
            community_id=left.id,
            target_type="cases",
            target_id=others_case.id,
            data={"title": OTHERS_TEXT},
        ),
        ("notifications", "recipient_id"),
    )
    add(
        Notification(
            recipient_id=other.id,
            kind="contribution_added",
            actor_id=user.id,
            community_id=left.id,
            data={"title": OTHERS_TEXT},
        ),
        ("notifications", "actor_id"),
    )
    add(
        Notification(
            recipient_id=admin.id,
            kind="account_pending",
            target_type="users",
            target_id=user.id,
            data={},
        ),
        ("notifications", "target_id"),
    )
    add(
        AuditEvent(
            actor_id=user.id,
            action="case.created",
            target_type="cases",
            target_id=own_case.id,
            community_id=left.id,
            ip="192.0.2.1",
            data={},
        ),
        ("audit_events", "actor_id"),
    )
    add(
        AuditEvent(
            actor_id=admin.id,
            action="account.suspended",
            target_type="users",
            target_id=user.id,
            ip=ADMIN_IP,
            data={"reason": "Onderzoek"},
        ),
        ("audit_events", "target_id"),
    )
    add(
        UserSession(
            user_id=user.id,
            device="Firefox op Linux",
            ip="198.51.100.7",
            token=f"sessie-geheim-{n}",
        ),
        ("user_sessions", "user_id"),
    )
    add(
        RecoveryCode(user_id=user.id, code_hash=f"herstelcode-geheim-{n}"),
        ("recovery_codes", "user_id"),
    )
    add(
        OutboxMessage(
            recipient=user.email,
            subject="Leerkring: nieuw wachtwoord",
            body="https://leerkring.test/password/reset/mail-geheim",
        ),
        ("outbox_messages", "recipient"),
    )
    add(
        OutboxMessage(
            recipient=f"vorig{n}@org.example",
            subject=OTHERS_TEXT,
            body=OTHERS_TEXT,
            member_user_id=user.id,
            member_of_community_id=left.id,
        ),
        ("outbox_messages", "member_user_id"),
    )
    db.session.commit()
    return rows
