"""The data export (AVG article 15) holds everything kept about the person, and nothing more.

The schema is the checklist: every column that names a user (a foreign key to users.id, or
an id or address that names one in another way) must be covered by the export or excluded
with a reason, and a world with a row for the person in each of them must show every row.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Integer

from community.accounts import export
from community.models import (
    Adoption,
    Approach,
    ApproachVersion,
    Attachment,
    AuditEvent,
    Case,
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
from tests.conftest import count_queries, login

OTHERS_TEXT = "TEKST-VAN-EEN-ANDER"
ADMIN_IP = "203.0.113.9"
SECRETS = {
    "password_hash": None,  # the factory's hash, read from the row
    "totp_secret": "JBSWY3DPEHPK3PXPJBSWY3DP",
    "session_token": None,
    "reset_nonce": "reset-nonce-geheim",
    "calendar_token": "kalender-token-geheim",
}


def _users_fk_columns(db) -> set[tuple[str, str]]:
    found = set()
    for table in db.metadata.tables.values():
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                found.add((table.name, column.name))
    return found


def _other_person_columns(db) -> set[tuple[str, str]]:
    """Columns that may name a user without a foreign key: bare ids and e-mail addresses."""
    found = set()
    for table in db.metadata.tables.values():
        if table.name == "users":
            continue
        for column in table.columns:
            bare_id = (
                column.name.endswith("_id")
                and isinstance(column.type, Integer)
                and not column.foreign_keys
                and not column.primary_key
            )
            if bare_id or column.name in {"email", "recipient"}:
                found.add((table.name, column.name))
    return found


def test_every_column_that_names_a_user_is_covered_by_the_export(db):
    covered = set(export.USER_REFERENCES)
    missing = _users_fk_columns(db) - covered
    assert not missing, f"foreign keys to users.id not in the export: {sorted(missing)}"
    unclassified = _other_person_columns(db) - covered - set(export.NOT_A_USER)
    assert not unclassified, f"columns that may name a user: {sorted(unclassified)}"
    # The lists name real columns and real parts of the export.
    columns = {(t.name, c.name) for t in db.metadata.tables.values() for c in t.columns}
    assert covered <= columns
    assert set(export.NOT_A_USER) <= columns
    sections = {*export.SECTIONS, "profile.expertise"}
    assert set(export.USER_REFERENCES.values()) <= sections
    users = {c.name for c in db.metadata.tables["users"].columns}
    assert users == set(export.PROFILE_FIELDS) | set(export.SECRETS)


def _world(db, user, other, admin, community, left, theme, n=0) -> dict[tuple[str, str], int]:
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


@pytest.fixture
def people(db, make_user, make_community, make_theme):
    user = make_user(name="Sanne de Vries")
    other = make_user(name="Ahmed")
    admin = make_user(name="Beheerder", platform_role="admin")
    community = make_community(name="Actieve kring")
    left = make_community(name="Verlaten kring", visibility="secret")
    theme = make_theme(name_nl="Wonen")
    return user, other, admin, community, left, theme


def _set_secrets(db, user) -> None:
    """After logging in: with a second factor on, the login would ask for a code."""
    for name, value in SECRETS.items():
        if value:
            setattr(user, name, value)
    db.session.commit()


def _export(client) -> tuple[dict[str, Any], str]:
    response = client.get("/account/export")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return json.loads(text), text


def _ids(data: dict[str, Any], section: str) -> set[int]:
    if section == "profile.expertise":
        return {theme["id"] for theme in data["profile"]["expertise"]}
    return {row["id"] for row in data[section]}


def test_every_row_that_names_the_person_is_in_the_export(client, db, people):
    user, other, admin, community, left, theme = people
    rows = _world(db, *people)
    assert set(rows) == set(export.USER_REFERENCES), "the world needs a row for each column"
    login(client, user.email)
    _set_secrets(db, user)
    data, text = _export(client)
    for key, section in export.USER_REFERENCES.items():
        assert rows[key] in _ids(data, section), (key, section)
    # Each profile field is there.
    assert set(export.PROFILE_FIELDS.values()) <= set(data["profile"])
    assert data["profile"]["two_factor_enabled"] is True
    assert data["profile"]["calendar_feed_enabled"] is True
    # Own texts in full, also from the community the person left.
    assert data["cases"][0]["context"] == "Mijn eigen context"
    assert data["cases"][0]["community"] == "Verlaten kring"
    own = next(c for c in data["contributions"] if c["body"] == "Mijn eigen vraag")
    assert [v["body"] for v in own["earlier_versions"]] == ["Mijn eerste versie"]
    assert {"Mijn nieuwe versie", "Mijn samenvatting"} <= {a["summary"] for a in data["approaches"]}
    assert data["membership_decisions"][0]["decision_message"] == "Welkom!"
    assert data["reports_filed"][0]["details"] == "Er staat een naam in"
    assert data["reports_handled"][0]["resolution"] == "Aangepast"
    # Sessions: browser and IP address; the audit log as actor and as target.
    assert data["sessions"][0]["browser"] == "Firefox op Linux"
    assert data["sessions"][0]["ip"] == "198.51.100.7"
    actions = {e["action"]: e for e in data["audit_log"]}
    assert actions["case.created"]["by_you"] is True
    assert actions["case.created"]["ip"] == "192.0.2.1"
    assert actions["account.suspended"]["by_you"] is False
    assert actions["account.suspended"]["data"] == {"reason": "Onderzoek"}
    # Others' texts and addresses, and every secret, stay out.
    assert OTHERS_TEXT not in text
    assert ADMIN_IP not in text
    assert other.email not in text
    assert "nieuw0@org.example" not in text  # the invitee of the person's own invitation
    stored = db.session.get(User, user.id)
    for secret in (stored.password_hash, stored.session_token, *filter(None, SECRETS.values())):
        assert secret not in text
    for marker in ("herstelcode-geheim", "sessie-geheim", "uitnodiging-geheim", "mail-geheim"):
        assert marker not in text


def test_nothing_of_a_left_community_but_the_own_texts(client, db, people, make_case):
    """A member who left sees their own case and question again, nothing of the others."""
    user, other, _admin, _community, left, _theme = people
    db.session.add(Membership(user_id=user.id, community_id=left.id, status="left"))
    db.session.commit()
    make_case(left, other, title=OTHERS_TEXT, context=OTHERS_TEXT)
    own = make_case(left, user, title="Mijn casus daar", context="Wat ik schreef")
    db.session.add(
        Notification(
            recipient_id=user.id,
            kind="case_published",
            community_id=left.id,
            target_type="cases",
            target_id=own.id,
            data={"title": OTHERS_TEXT},
        )
    )
    db.session.commit()
    login(client, user.email)
    data, text = _export(client)
    assert [c["title"] for c in data["cases"]] == ["Mijn casus daar"]
    assert "Wat ik schreef" in text
    assert OTHERS_TEXT not in text


def test_the_export_runs_a_fixed_number_of_queries(app, client, db, people):
    user, *_ = people
    _world(db, *people)
    login(client, user.email)
    with count_queries(app) as once:
        _export(client)
    _world(db, *people, n=1)
    _world(db, *people, n=2)
    with count_queries(app) as thrice:
        data, _text = _export(client)
    assert len(data["contributions"]) == 3
    assert len(thrice) == len(once), thrice
    assert len(once) < 50


def test_the_zip_holds_the_same_data(client, db, people):
    user, *_ = people
    _world(db, *people)
    login(client, user.email)
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/export.zip").data))
    data = json.loads(archive.read("data.json"))
    assert data["sessions"][0]["browser"] == "Firefox op Linux"
    assert data["audit_log"]
