"""The account page lists the signed-in browsers; any of them, or all others, can be ended."""

from __future__ import annotations

from sqlalchemy import select

from community.models import UserSession
from tests.conftest import login


def test_list_and_end_sessions(app, client, db, make_user):
    user = make_user()
    login(client, user.email)
    laptop = app.test_client()
    login(laptop, user.email)
    phone = app.test_client()
    login(phone, user.email)
    page = client.get("/account").get_data(as_text=True)
    assert page.count("Beëindigen") == 2
    assert "deze sessie" in page
    laptop_session = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()[1]
    client.post("/account/sessions/end", data={"session": laptop_session.id})
    assert laptop.get("/account").status_code == 302  # ended: logged out on the next request
    assert phone.get("/account").status_code == 200
    client.post("/account/sessions/end")
    assert phone.get("/account").status_code == 302
    assert client.get("/account").status_code == 200  # this session goes on


def test_cannot_end_someone_elses_session(app, client, db, make_user):
    owner, intruder = make_user(), make_user()
    owner_client = app.test_client()
    login(owner_client, owner.email)
    login(client, intruder.email)
    session = db.session.scalar(select(UserSession).where(UserSession.user_id == owner.id))
    client.post("/account/sessions/end", data={"session": session.id})
    assert owner_client.get("/account").status_code == 200


def test_a_refused_last_seen_write_does_not_break_the_page(app, client, db, make_user):
    """A "last seen" note that cannot get the lock in time is skipped, not a 500."""
    from datetime import timedelta

    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    user = make_user()
    login(client, user.email)
    record = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    seen = record.last_seen_at - timedelta(minutes=5)
    record.last_seen_at = seen
    db.session.commit()

    def locked(conn, cursor, statement, *args) -> None:
        if statement.startswith("UPDATE user_sessions SET") and "last_seen_at" in statement:
            raise OperationalError(statement, {}, Exception("database is locked"))

    event.listen(db.engine, "before_cursor_execute", locked)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", locked)
    db.session.expire_all()
    record = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert record.last_seen_at == seen  # nothing was written ...
    assert client.get("/").status_code == 200
    db.session.expire_all()
    record = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert record.last_seen_at > seen  # ... until the next request


def test_last_seen_is_noted_after_the_request_and_once_a_minute(app, client, db, make_user):
    """A GET writes nothing in its own transaction; "last seen" follows in one of its own."""
    from datetime import timedelta

    from tests.conftest import count_queries

    user = make_user()
    login(client, user.email)
    record = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    record.last_seen_at = record.last_seen_at - timedelta(minutes=5)
    db.session.commit()
    with count_queries(app) as first:
        assert client.get("/").status_code == 200
    with count_queries(app) as second:
        assert client.get("/").status_code == 200
    writes = [s for s in first if s.startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 1
    assert writes[0].startswith("UPDATE user_sessions SET")
    assert first.index(writes[0]) == len(first) - 1  # the last statement: after the page
    assert not [s for s in second if s.startswith(("UPDATE", "INSERT"))]  # seen a moment ago


def test_account_lists_recent_usable_sessions_only(client, db, make_user):
    from datetime import timedelta

    from community.accounts import sessions
    from community.models.base import utcnow

    user = make_user()
    now = utcnow()
    for n in range(sessions.SHOWN + 5):
        db.session.add(
            UserSession(
                user_id=user.id, device=f"Browser {n}", last_seen_at=now - timedelta(hours=n)
            )
        )
    db.session.add(
        UserSession(user_id=user.id, device="Oude laptop", last_seen_at=now - timedelta(days=40))
    )
    db.session.commit()
    login(client, user.email)
    page = client.get("/account").get_data(as_text=True)
    # This browser (seen last) and the 19 most recent others; only the others get a button.
    assert page.count('name="session" value=') == sessions.SHOWN - 1
    assert "deze sessie" in page
    assert f"Browser {sessions.SHOWN - 2}<" in page
    assert f"Browser {sessions.SHOWN - 1}<" not in page
    assert "Oude laptop" not in page
