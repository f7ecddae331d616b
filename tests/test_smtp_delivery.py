"""Delivery to a real SMTP server: one connection per batch, refusals and outages retried
row by row, nothing sent twice (but the one message in flight when a worker dies)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from community import mail, mail_transport
from community.models import OutboxMessage
from community.models.base import utcnow


def _queue(db: Any, n: int, **values: Any) -> list[str]:
    addresses = [f"ontvanger{i}@gemeente.example" for i in range(n)]
    db.session.add_all(
        OutboxMessage(recipient=a, subject=f"Bericht {i}", body=f"Tekst {i}", **values)
        for i, a in enumerate(addresses)
    )
    db.session.commit()
    return addresses


def _unsent(db: Any) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
        )
    )


def _later(hours: int = 5) -> Any:
    """A moment after every back-off and lease (the worker's clock, not a wait)."""
    return utcnow() + timedelta(hours=hours)


def test_a_batch_goes_over_one_connection(app, db, smtp):
    addresses = _queue(db, 12)
    assert mail.deliver_due(app) == 12
    assert smtp.collector.connections == 1
    assert smtp.collector.recipients == addresses
    assert smtp.collector.received[3].message["Subject"] == "Bericht 3"
    assert _unsent(db) == []


def test_batches_of_the_configured_size(app, db, smtp):
    app.config["MAIL_BATCH_SIZE"] = 5
    _queue(db, 12)
    assert mail.deliver_due(app) == 12
    assert smtp.collector.connections == 3  # 5 + 5 + 2


def test_a_refused_recipient_is_retried_later_and_the_rest_not_resent(app, db, smtp):
    addresses = _queue(db, 6)
    smtp.collector.refuse = {addresses[2]}
    assert mail.deliver_due(app) == 5
    assert smtp.collector.connections == 1  # the refusal did not end the connection
    assert sorted(smtp.collector.recipients) == sorted(addresses[:2] + addresses[3:])
    (refused,) = _unsent(db)
    assert refused.recipient == addresses[2]
    assert refused.attempts == 1
    assert "No such user" in (refused.last_error or "")
    assert mail.deliver_due(app) == 0  # back-off: not due yet

    smtp.collector.refuse = set()
    assert mail.deliver_due(app, now=_later()) == 1
    assert Counter(smtp.collector.recipients) == Counter(addresses)  # each exactly once
    assert _unsent(db) == []


def test_a_dropped_connection_leaves_the_rest_queued(app, db, smtp):
    addresses = _queue(db, 5)
    smtp.collector.hang_up_on = {addresses[1]}  # 421: the server closes the connection
    assert mail.deliver_due(app) == 4  # the rest went out over a new connection
    assert smtp.collector.connections == 2
    (dropped,) = _unsent(db)
    assert dropped.recipient == addresses[1]
    assert dropped.attempts == 1
    # The rows after it were not counted as attempts: they were never tried.
    rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [r.attempts for r in rows] == [1, 1, 1, 1, 1]

    smtp.collector.hang_up_on = set()
    assert mail.deliver_due(app, now=_later()) == 1
    assert Counter(smtp.collector.recipients) == Counter(addresses)


def test_server_down_keeps_the_rows_and_delivers_them_once_it_is_back(app, db, smtp):
    addresses = _queue(db, 4)
    smtp.stop()
    assert mail.deliver_due(app) == 0
    rows = _unsent(db)
    assert len(rows) == 4
    assert all(r.attempts == 1 and r.last_error for r in rows)

    smtp.start()
    assert mail.deliver_due(app) == 0  # back-off: the next attempt is not due yet
    assert mail.deliver_due(app, now=_later()) == 4
    assert smtp.collector.connections == 1
    assert Counter(smtp.collector.recipients) == Counter(addresses)
    assert mail.deliver_due(app, now=_later(10)) == 0
    assert len(smtp.collector.received) == 4


def test_mail_for_a_member_who_left_is_dropped_before_sending(
    app, db, smtp, make_user, make_community, make_membership
):
    community = make_community()
    stays, leaves = make_user(), make_user()
    make_membership(stays, community)
    gone = make_membership(leaves, community)
    for user in (stays, leaves):
        db.session.add(
            OutboxMessage(
                recipient=user.email,
                subject="Nieuwe casus",
                body="Tekst",
                member_of_community_id=community.id,
                member_user_id=user.id,
            )
        )
    db.session.commit()
    gone.status = "removed"
    db.session.commit()
    assert mail.deliver_due(app) == 1
    assert smtp.collector.recipients == [stays.email]
    dropped = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == leaves.email)
    )
    assert dropped.dropped_at is not None


def test_a_worker_killed_mid_batch_repeats_only_the_message_in_flight(app, db, smtp, monkeypatch):
    """The crash window: each row is marked sent and committed right after the server
    accepted it. A worker killed between the two (here: after the third message) has
    that one message go out again; the ones before are marked, the ones after wait for
    the end of the lease (no other worker takes them earlier) and go out once."""
    addresses = _queue(db, 6)
    real = mail_transport.TRANSPORTS["smtp"]

    @contextmanager
    def killed_after_three(app: Any) -> Iterator[Any]:
        with real(app) as send:
            sent = 0

            def send_then_die(message: Any) -> None:
                nonlocal sent
                send(message)
                sent += 1
                if sent == 3:
                    raise SystemExit("worker killed")

            yield send_then_die

    monkeypatch.setitem(mail.TRANSPORTS, "smtp", killed_after_three)
    with pytest.raises(SystemExit):
        mail.deliver_due(app)
    db.session.rollback()
    monkeypatch.undo()
    assert [r.recipient for r in _unsent(db)] == addresses[2:]
    assert mail.deliver_due(app) == 0  # still leased to the killed worker
    assert mail.deliver_due(app, now=_later(1)) == 4
    sent = Counter(smtp.collector.recipients)
    assert sent[addresses[2]] == 2  # the one in flight when the worker died
    assert all(sent[a] == 1 for a in addresses if a != addresses[2])
    assert _unsent(db) == []
