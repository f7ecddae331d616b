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
