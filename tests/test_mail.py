"""The transactional outbox: stored with the change, delivered after the commit, retried."""

from __future__ import annotations

from contextlib import contextmanager
from email import message_from_bytes

from sqlalchemy import func, select

from community import mail
from community.extensions import db as _db
from community.models import OutboxMessage
from tests.conftest import database, make_app


def _rows(db) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_inline_delivery_sends_after_the_commit(app, db):
    app.config["MAIL_DELIVERY"] = "inline"  # development's default
    with app.test_request_context():
        mail.enqueue(
            "a@x.example", "Onderwerp", "password_changed", user=type("U", (), {"name": "A"})
        )
        mail.deliver_after_request(app)
        assert mail.sent_messages(app) == []  # nothing leaves before the commit
        db.session.commit()
        mail.deliver_after_request(app)
    assert [m["To"] for m in mail.sent_messages(app)] == ["a@x.example"]
    (row,) = _rows(db)
    assert row.sent_at is not None
    assert row.attempts == 1


def test_rolled_back_change_sends_nothing(app, db, outbox):
    with app.test_request_context():
        mail.enqueue(
            "a@x.example", "Onderwerp", "password_changed", user=type("U", (), {"name": "A"})
        )
        db.session.rollback()
        mail.deliver_after_request(app)
    assert outbox == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_failed_delivery_is_kept_and_retried(app, db, outbox, monkeypatch):
    @contextmanager
    def broken(app):
        raise OSError("mail server down")
        yield

    with app.test_request_context():
        mail.enqueue(
            "a@x.example", "Onderwerp", "password_changed", user=type("U", (), {"name": "A"})
        )
        db.session.commit()
        monkeypatch.setitem(mail.TRANSPORTS, "memory", broken)
        assert mail.deliver_due(app) == 0
    (row,) = _rows(db)
    assert row.sent_at is None
    assert row.attempts == 1
    assert "down" in row.last_error
    assert row.next_attempt_at > row.created_at
    monkeypatch.undo()
    assert mail.deliver_due(app) == 0  # not due yet: back-off
    row.next_attempt_at = row.created_at
    db.session.commit()
    assert mail.deliver_due(app) == 1
    assert [m["To"] for m in outbox] == ["a@x.example"]


def test_worker_mode_leaves_delivery_to_the_worker(database_config, make_user):
    app = make_app(database_config, MAIL_DELIVERY="worker")
    with database(app):
        client = app.test_client()
        _db.session.add(OutboxMessage(recipient="x@y.example", subject="s", body="b"))
        _db.session.commit()
        client.post("/password/forgot", data={"email": "nobody@x.example"})
        assert mail.sent_messages(app) == []
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
        assert "Delivered 1 messages." in result.output
        assert [m["To"] for m in mail.sent_messages(app)] == ["x@y.example"]


def test_file_backend_writes_eml(database_config, tmp_path):
    app = make_app(database_config, MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path))
    with database(app):
        _db.session.add(OutboxMessage(recipient="x@y.example", subject="Hallo", body="Tekst"))
        _db.session.commit()
        assert mail.deliver_due(app) == 1
    (path,) = tmp_path.glob("*.eml")
    message = message_from_bytes(path.read_bytes())
    assert message["To"] == "x@y.example"
    assert message["Subject"] == "Hallo"
    assert "Tekst" in message.get_payload(decode=True).decode()


def test_mail_is_in_the_recipients_language(client, make_user, outbox):
    user = make_user(locale="en")
    client.post("/password/forgot", data={"email": user.email})
    assert outbox[-1]["Subject"] == "Set a new password for Leerkring"


def test_community_mail_is_dropped_when_the_member_left_before_delivery(database_config):
    from community.models import Membership
    from community.notifications.services import notify

    app = make_app(database_config, MAIL_DELIVERY="worker")
    with database(app):
        from community.models import Community, User

        user = User(name="A", email="a@x.example", password_hash="x", status="active")
        community = Community(name="K", slug="k", description="", description_html="", summary="")
        _db.session.add_all([user, community])
        _db.session.flush()
        membership = Membership(user_id=user.id, community_id=community.id, status="active")
        _db.session.add(membership)
        _db.session.commit()
        with app.test_request_context():
            notify(user, "case_published", community=community, case_id=1, case_title="Titel")
            _db.session.commit()
        membership.status = "removed"
        _db.session.commit()
        assert mail.deliver_due(app) == 0
        assert mail.sent_messages(app) == []
        row = _db.session.scalar(select(OutboxMessage))
        assert row.dropped_at is not None


def test_production_leaves_delivery_to_the_worker(monkeypatch, tmp_path):
    """Outside development no request waits for a mail server: the worker delivers."""
    from community import config

    monkeypatch.delenv("MAIL_DELIVERY", raising=False)
    monkeypatch.delenv("LEERKRING_ENV", raising=False)
    assert config.from_environment(str(tmp_path))["MAIL_DELIVERY"] == "worker"
    monkeypatch.setenv("LEERKRING_ENV", "production")
    assert config.from_environment(str(tmp_path))["MAIL_DELIVERY"] == "worker"
    monkeypatch.setenv("LEERKRING_ENV", "development")  # `make run`
    assert config.from_environment(str(tmp_path))["MAIL_DELIVERY"] == "inline"
    monkeypatch.setenv("MAIL_DELIVERY", "worker")  # an explicit choice wins
    assert config.from_environment(str(tmp_path))["MAIL_DELIVERY"] == "worker"


def test_a_request_only_queues_mail_in_production(client, db, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    (row,) = _rows(db)
    assert row.recipient == user.email
    assert row.sent_at is None  # nothing was delivered in the request
    assert mail.sent_messages(client.application) == []


def test_two_workers_never_take_the_same_row(app, db, outbox):
    """PostgreSQL: rows another worker has locked while claiming them are skipped."""
    import pytest
    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED: run with --postgres")
    for n in range(4):
        db.session.add(OutboxMessage(recipient=f"r{n}@x.example", subject="s", body="b"))
    db.session.commit()
    first, second, *_ = [row.id for row in _rows(db)]
    with db.engine.connect() as other_worker:
        other_worker.execute(
            text("SELECT id FROM outbox_messages WHERE id IN (:a, :b) FOR UPDATE"),
            {"a": first, "b": second},
        )
        assert mail.deliver_due(app) == 2  # the two it could take
        other_worker.rollback()
    assert sorted(m["To"] for m in mail.sent_messages(app)) == ["r2@x.example", "r3@x.example"]
    assert mail.deliver_due(app) == 2
    assert len(outbox) == 4
