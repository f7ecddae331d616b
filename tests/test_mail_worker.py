"""The mail worker's batches: who may still have a mail is asked right before each send,
the lease runs from each claim, and a killed worker uses up no attempt of rows it never tried."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select, update

from community import mail
from community.models import Membership, OutboxMessage
from community.models.base import utcnow


def _queue(db, app, community, *people):
    with app.test_request_context():
        for person in people:
            mail.enqueue(
                person.email,
                "s",
                "password_changed",
                user=person,
                members_only=(community.id, person.id),
            )
        db.session.commit()


def test_member_removed_while_the_batch_is_sent_gets_no_mail(
    app, db, make_user, make_community, make_membership, monkeypatch
):
    """Someone removed while earlier messages of their batch go out does not get theirs."""
    community = make_community()
    a, b = make_user(), make_user()
    make_membership(a, community)
    removed_id = make_membership(b, community).id
    a_email, b_email = a.email, b.email
    _queue(db, app, community, a, b)
    real = mail.TRANSPORTS["memory"]

    @contextmanager
    def transport(app):
        with real(app) as send:

            def sending(message):
                send(message)
                if message["To"] == a_email:  # meanwhile a moderator removes b
                    db.session.execute(
                        update(Membership)
                        .where(Membership.id == removed_id)
                        .values(status="removed")
                    )
                    db.session.commit()

            yield sending

    monkeypatch.setitem(mail.TRANSPORTS, "memory", transport)
    mail.deliver_due(app)
    assert [m["To"] for m in mail.sent_messages(app)] == [a_email]
    assert db.session.scalar(
        select(OutboxMessage.dropped_at).where(OutboxMessage.recipient == b_email)
    )


def test_a_later_batch_is_not_claimable_by_another_worker_while_it_is_sent(
    app, db, make_user, monkeypatch
):
    """A batch claimed after earlier batches outlasted the lease is leased from its own
    claim: no second worker can take it while this one sends it."""
    app.config.update(MAIL_BATCH_SIZE=1, MAIL_LEASE_SECONDS=1)
    for n in range(2):
        db.session.add(OutboxMessage(recipient=f"r{n}@x.example", subject="s", body="b"))
    db.session.commit()
    real = mail.TRANSPORTS["memory"]
    taken_by_other_worker: list[int] = []

    @contextmanager
    def slow(app):
        with real(app) as send:

            def sending(message):
                if message["To"] == "r0@x.example":
                    time.sleep(1.2)  # a slow relay: the first batch outlasts the lease
                else:  # the second batch, just claimed by this worker
                    due = db.session.scalars(
                        select(OutboxMessage.id).where(
                            OutboxMessage.sent_at.is_(None),
                            OutboxMessage.next_attempt_at <= utcnow(),
                        )
                    ).all()
                    taken_by_other_worker.extend(due)  # what another worker would claim
                send(message)

            yield sending

    monkeypatch.setitem(mail.TRANSPORTS, "memory", slow)
    assert mail.deliver_due(app) == 2
    assert taken_by_other_worker == []


def test_a_crash_does_not_use_up_the_attempts_of_messages_never_tried(app, db, monkeypatch):
    """A worker killed mid-batch MAIL_MAX_ATTEMPTS times gives up only the message it was
    sending, not the ones of the batch it never reached."""
    for n in range(2):
        db.session.add(OutboxMessage(recipient=f"r{n}@x.example", subject="s", body="b"))
    db.session.commit()

    @contextmanager
    def dies(app):
        def sending(message):
            raise SystemExit("worker killed (deploy, OOM) while sending the first message")

        yield sending

    monkeypatch.setitem(mail.TRANSPORTS, "memory", dies)
    now = utcnow()
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
        try:
            mail.deliver_due(app, now=now)
        except SystemExit:
            db.session.rollback()
        now += timedelta(seconds=app.config["MAIL_LEASE_SECONDS"] + 1)  # the lease ends
    monkeypatch.undo()
    mail.deliver_due(app, now=now)
    sent = [m["To"] for m in mail.sent_messages(app)]
    assert "r1@x.example" in sent  # never tried while the worker kept dying
    assert "r0@x.example" not in sent  # the one it died on: given up after its attempts
