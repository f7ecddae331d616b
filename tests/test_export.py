"""The data export (AVG article 15) holds everything kept about the person, and nothing more.

The schema is the checklist: every column that names a user (a foreign key to users.id, or
an id or address that names one in another way) must be covered by the export or excluded
with a reason, and a world with a row for the person in each of them must show every row.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Integer

from community.accounts import export
from community.models import Membership, Notification, User
from tests.conftest import count_queries, login
from tests.export_world import ADMIN_IP, OTHERS_TEXT, build_world

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
    rows = build_world(db, *people)
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
    build_world(db, *people)
    login(client, user.email)
    with count_queries(app) as once:
        _export(client)
    build_world(db, *people, n=1)
    build_world(db, *people, n=2)
    with count_queries(app) as thrice:
        data, _text = _export(client)
    assert len(data["contributions"]) == 3
    assert len(thrice) == len(once), thrice
    assert len(once) < 50


def test_the_zip_holds_the_same_data(client, db, people):
    user, *_ = people
    build_world(db, *people)
    login(client, user.email)
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/export.zip").data))
    data = json.loads(archive.read("data.json"))
    assert data["sessions"][0]["browser"] == "Firefox op Linux"
    assert data["audit_log"]
