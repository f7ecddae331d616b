"""`flask backup DIR` and `flask restore DIR` (issue 16): a restored instance serves the same
cases, contributions and attachments (bytes equal), still closed to outsiders; a backup
whose files differ from its manifest, or a database that is not empty, is refused."""

from __future__ import annotations

import io
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from community.extensions import db
from community.markdown import render
from community.models import Attachment, Case, Community, Membership
from tests.conftest import add_active_user, database, login, make_app
from tests.test_attachments import PDF

CONTRIBUTION = "Organiseer een eigenarenavond met de BIZ."


@pytest.fixture(params=["sqlite", "postgresql"])
def instances(
    request: pytest.FixtureRequest, database_config: dict[str, Any], tmp_path: Path
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """The configurations of a source instance and of an empty one to restore into."""
    if request.param == "sqlite":
        yield (
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bron.sqlite3'}"},
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'doel.sqlite3'}"},
        )
        return
    if not request.config.getoption("--postgres"):
        pytest.skip("PostgreSQL variant: run with --postgres and TEST_DATABASE_URL")
    source_url = make_url(database_config["SQLALCHEMY_DATABASE_URI"])
    name = f"leerkring_restore_{secrets.token_hex(4)}"
    admin = create_engine(source_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    target = dict(database_config)
    target["SQLALCHEMY_DATABASE_URI"] = source_url.set(database=name).render_as_string(
        hide_password=False
    )
    try:
        yield database_config, target
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fill(app) -> dict[str, Any]:
    """A closed community with a case that has an attachment and a contribution."""
    author = add_active_user("inbrenger@backup.example")
    member = add_active_user("lid@backup.example")
    add_active_user("buiten@backup.example")
    community = Community(
        name="Backupkring",
        slug="backupkring",
        description="d",
        description_html=render("d"),
        summary="d",
        visibility="closed",
    )
    db.session.add(community)
    db.session.flush()
    for person in (author, member):
        db.session.add(
            Membership(user_id=person.id, community_id=community.id, role="member", status="active")
        )
    db.session.commit()
    client = app.test_client()
    login(client, "inbrenger@backup.example")
    client.post(
        "/c/backupkring/cases/new",
        data={
            "title": "Lege panden",
            "theme": 0,
            "context": "Een derde staat leeg.",
            "question": "Hoe bereiken we eigenaren?",
            "action": "publish",
            "attachment": (io.BytesIO(PDF), "plan.pdf"),
        },
        content_type="multipart/form-data",
    )
    case_id = db.session.scalar(select(Case.id))
    attachment_id = db.session.scalar(select(Attachment.id))
    assert case_id
    assert attachment_id
    member_client = app.test_client()
    login(member_client, "lid@backup.example")
    posted = member_client.post(
        f"/c/backupkring/cases/{case_id}/contributions",
        data={"kind": "question", "body": CONTRIBUTION},
    )
    assert posted.status_code == 302
    return {"case": f"/c/backupkring/cases/{case_id}", "file": f"/files/{attachment_id}"}


def _cli(app, *args: str):
    """The command as `flask --app … <args>` runs it: inside the app's context."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _restore(app, directory: Path):
    return _cli(app, "restore", str(directory))


def test_a_restored_instance_serves_the_same_content(instances, tmp_path):
    source_config, target_config = instances
    source = make_app(source_config, UPLOAD_DIR=str(tmp_path / "bron-uploads"))
    backup = tmp_path / "backup"
    with database(source):
        paths = _fill(source)
        made = _cli(source, "backup", str(backup))
        assert made.exit_code == 0, made.output
        again = _cli(source, "backup", str(backup))
        assert again.exit_code != 0  # never into a directory that holds a backup
        assert "not empty" in again.output
    manifest = json.loads((backup / "manifest.json").read_text())
    assert any(name.startswith("uploads/") for name in manifest["files"])

    target = make_app(target_config, UPLOAD_DIR=str(tmp_path / "doel-uploads"))
    restored = _restore(target, backup)
    assert restored.exit_code == 0, restored.output
    try:
        with target.app_context():
            member = target.test_client()
            login(member, "lid@backup.example")
            page = member.get(paths["case"]).get_data(as_text=True)
            assert "Lege panden" in page
            assert CONTRIBUTION in page
            download = member.get(paths["file"])
            assert download.status_code == 200
            assert download.data == PDF
            download.close()
            outsider = target.test_client()
            login(outsider, "buiten@backup.example")
            assert outsider.get(paths["case"]).status_code == 404
            assert outsider.get(paths["file"]).status_code == 404
            # Restoring again, over what is there now, is refused.
            refused = _restore(target, backup)
            assert refused.exit_code != 0
            assert "has" in refused.output
    finally:
        with target.app_context():
            db.session.remove()
            if db.engine.dialect.name == "sqlite":
                db.drop_all()
            db.engine.dispose()


def test_a_backup_that_differs_from_its_manifest_is_not_restored(tmp_path):
    source = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bron.sqlite3'}"},
        UPLOAD_DIR=str(tmp_path / "bron-uploads"),
    )
    backup = tmp_path / "backup"
    with database(source):
        _fill(source)
        assert _cli(source, "backup", str(backup)).exit_code == 0
    stored = next(path for path in (backup / "uploads").rglob("*") if path.is_file())
    stored.write_bytes(stored.read_bytes() + b"x")
    target = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'doel.sqlite3'}"},
        UPLOAD_DIR=str(tmp_path / "doel-uploads"),
    )
    result = _restore(target, backup)
    assert result.exit_code != 0
    assert "differs from the manifest" in result.output
    assert not (tmp_path / "doel-uploads").exists()
    with target.app_context():
        from sqlalchemy import inspect

        assert inspect(db.engine).get_table_names() == []
