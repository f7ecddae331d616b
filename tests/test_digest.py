"""Notification preferences and the daily/weekly digests."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.models import Membership, Notification
from community.models.base import utcnow
from community.notifications import digest
from tests.conftest import login


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Kring Digest")
    author, reader = make_user(name="Auteur"), make_user(name="Lezer", email_mode="daily")
    make_membership(author, community)
    make_membership(reader, community)
    return community, author, reader


def _publish(client, community, title: str, body: str = "GEHEIME-TEKST") -> None:
    client.post(
        f"/c/{community.slug}/cases/new",
        data={"title": title, "theme": 0, "context": body, "question": "q", "action": "publish"},
    )


def _run(app, when=None) -> int:
    from community.extensions import db

    with app.test_request_context():
        sent = digest.send_digests("daily", when)
        db.session.commit()
    return sent


def test_daily_reader_gets_one_digest_without_bodies_and_no_repeats(app, client, db, outbox, kring):
    community, author, reader = kring
    login(client, author.email)
    _publish(client, community, "Eerste casus")
    _publish(client, community, "Tweede casus")
    assert all(m["To"] != reader.email for m in outbox)  # no mail at once for a daily reader
    assert _run(app) == 1
    mail = next(m for m in outbox if m["To"] == reader.email)
    body = mail.get_content()
    assert "Kring Digest" in body
    assert "Eerste casus" in body
    assert "Tweede casus" in body
    assert "GEHEIME-TEKST" not in body
    assert "/c/" in body
    assert "/unsubscribe/" in body
    assert _run(app) == 0  # the same day: nothing again
    tomorrow = utcnow() + timedelta(days=1)
    assert _run(app, tomorrow) == 0  # nothing new: no mail
    _publish(client, community, "Derde casus")
    assert _run(app, tomorrow + timedelta(minutes=1)) == 0  # one digest a day at most
    assert _run(app, tomorrow + timedelta(days=1)) == 1
    latest = [m for m in outbox if m["To"] == reader.email][-1].get_content()
    assert "Derde casus" in latest
    assert "Eerste casus" not in latest


def test_removed_member_gets_nothing_of_that_community(app, client, db, outbox, kring):
    community, author, reader = kring
    login(client, author.email)
    _publish(client, community, "Casus voor leden")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == reader.id))
    membership.status = "removed"
    db.session.commit()
    assert _run(app) == 0
    assert all(m["To"] != reader.email for m in outbox)


def test_unsubscribe_without_logging_in(app, client, db, kring):
    _community, _author, reader = kring
    with app.test_request_context():
        token = digest.unsubscribe_token(reader)
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200
    assert "Afmelden" in page.get_data(as_text=True)
    assert db.session.get(type(reader), reader.id).email_mode == "daily"  # a GET changes nothing
    client.post(f"/unsubscribe/{token}")
    assert db.session.get(type(reader), reader.id).email_mode == "none"
    bad = client.get("/unsubscribe/niet-geldig").get_data(as_text=True)
    assert "klopt niet" in bad


def test_follow_levels_decide_what_arrives(
    app, client, db, kring, make_user, make_membership, make_case
):
    community, author, reader = kring
    quiet, mine = make_user(), make_user()
    make_membership(quiet, community, follow="none")
    make_membership(mine, community, follow="mine")
    own_case = make_case(community, mine, phase="questions", title="Mijn casus")
    login(client, author.email)
    _publish(client, community, "Nieuwe casus")
    client.post(
        f"/c/{community.slug}/cases/{own_case.id}/contributions",
        data={"kind": "question", "body": "Vraag"},
    )

    def kinds(user):
        return sorted(
            db.session.scalars(
                select(Notification.kind).where(Notification.recipient_id == user.id)
            )
        )

    assert kinds(quiet) == []
    assert kinds(mine) == ["contribution_added"]
    assert "case_published" in kinds(reader)


def test_follow_level_is_chosen_when_joining_and_can_change(
    client, db, make_community, make_membership, make_user
):
    community = make_community()
    moderator = make_user()
    make_membership(moderator, community, role="moderator")
    user = make_user()
    login(client, user.email)
    client.post(f"/c/{community.slug}/join", data={"motivation": "Graag", "follow": "mine"})
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership.follow == "mine"
    membership.status = "active"
    db.session.commit()
    client.post(f"/c/{community.slug}/follow", data={"follow": "none"})
    db.session.refresh(membership)
    assert membership.follow == "none"
    assert client.post(f"/c/{community.slug}/follow", data={"follow": "alles"}).status_code == 302
    db.session.refresh(membership)
    assert membership.follow == "none"


def test_digest_command(runner, db, kring):
    result = runner.invoke(args=["digest", "--period", "weekly"])
    assert result.exit_code == 0
    assert "Sent 0 weekly digests." in result.output
    assert re.search(r"Sent \d+ daily", runner.invoke(args=["digest", "--period", "daily"]).output)
