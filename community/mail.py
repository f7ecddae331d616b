"""The transactional outbox: write mail with the change, deliver it after the commit.

`enqueue` (or `enqueue_many`, one INSERT for many) adds `OutboxMessage`s to the
current transaction. With `MAIL_DELIVERY=worker` (the default outside development)
the `worker` command delivers them, so no request waits for a mail server; with
`MAIL_DELIVERY=inline` (development's default) the messages of a request are
delivered right after its commit. Delivery takes due rows in batches, one
connection per batch (`community.mail_transport`). A failed delivery stays in the
outbox and is retried with a back-off; nothing is lost.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import Flask, current_app, render_template
from sqlalchemy import event, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from community.extensions import db
from community.mail_transport import SMTP_TIMEOUT, TRANSPORTS, is_recipient_refusal
from community.mail_transport import sent_messages as sent_messages  # the tests read it here
from community.models import OutboxMessage
from community.models.base import utcnow

log = logging.getLogger(__name__)

_PENDING = "leerkring_outbox_pending"
_COMMITTED = "leerkring_outbox_committed"


@dataclass(frozen=True)
class Draft:
    """One rendered message for `enqueue_many`."""

    recipient: str
    subject: str
    body: str
    members_only: tuple[int, int] | None = None
    unsubscribe: str | None = None  # the List-Unsubscribe address


def draft(
    recipient: str,
    subject: str,
    template: str,
    *,
    members_only: tuple[int, int] | None = None,
    unsubscribe: str | None = None,
    **context: Any,
) -> Draft:
    """Render `templates/email/<template>.txt` (in the current locale) for the outbox.

    `members_only=(community_id, user_id)`: deliver only while that user is still an
    active member of that community. `unsubscribe`: the absolute one-click unsubscribe
    address, sent as `List-Unsubscribe` with `List-Unsubscribe-Post` (RFC 2369, 8058).
    """
    body = render_template(f"email/{template}.txt", unsubscribe=unsubscribe, **context)
    subject = " ".join(subject.split())[:255]  # a header is one line
    return Draft(recipient, subject, body, members_only, unsubscribe)


def enqueue_many(drafts: list[Draft]) -> list[int]:
    """Add rendered messages to the outbox in one multi-row INSERT; their ids."""
    if not drafts:
        return []
    now = utcnow()
    rows = [
        {
            "recipient": d.recipient,
            "subject": d.subject,
            "body": d.body,
            "created_at": now,
            "next_attempt_at": now,
            "attempts": 0,
            "member_of_community_id": d.members_only[0] if d.members_only else None,
            "member_user_id": d.members_only[1] if d.members_only else None,
            "list_unsubscribe": d.unsubscribe,
        }
        for d in drafts
    ]
    ids = list(db.session.scalars(insert(OutboxMessage).returning(OutboxMessage.id), rows))
    db.session.info.setdefault(_PENDING, []).extend(ids)
    return ids


def enqueue(
    recipient: str,
    subject: str,
    template: str,
    *,
    members_only: tuple[int, int] | None = None,
    unsubscribe: str | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render `templates/email/<template>.txt` and add it to the outbox (see `draft`)."""
    rendered = draft(
        recipient, subject, template, members_only=members_only, unsubscribe=unsubscribe, **context
    )
    message = OutboxMessage(
        recipient=recipient,
        subject=rendered.subject,
        body=rendered.body,
        list_unsubscribe=unsubscribe,
    )
    if members_only is not None:
        message.member_of_community_id, message.member_user_id = members_only
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(message.id)
    return message


def build_message(row: OutboxMessage | Claimed, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="leerkring.example")
    if row.list_unsubscribe:
        message["List-Unsubscribe"] = f"<{row.list_unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(row.body)
    return message


@dataclass(frozen=True)
class Claimed:
    """An outbox row leased to this worker: what sending it needs."""

    id: int
    recipient: str
    subject: str
    body: str
    attempts: int  # this one included
    member_of: tuple[int, int] | None = None  # (community, user): mail for members only
    list_unsubscribe: str | None = None

    def still_addressed(self) -> bool:
        """True unless the mail is for members only and its recipient left since."""
        if self.member_of is None:
            return True
        from community import policy

        return db.session.scalar(policy.still_member(*self.member_of)) is not None


def _set(ids: list[int], **values: Any) -> None:
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _claim(app: Flask, ids: list[int] | None, size: int, now: datetime) -> list[Claimed]:
    """Take up to `size` due rows and lease them to this worker, in one short transaction.

    The rows are locked with `FOR UPDATE SKIP LOCKED` (PostgreSQL) while they are
    claimed, and the claim moves their next attempt past the lease, counted from the
    claim itself, so no other worker takes them while this one sends (the lock itself
    ends with the claim's commit). Whether a member-only mail's recipient may still have
    it is asked right before it is sent (`_send_batch`), not here. Only the first row's
    attempt is counted here: a row's attempt is counted when it is reached, so a worker
    killed mid-batch uses up no attempt of the rows it never tried.
    """
    query = (
        select(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
            OutboxMessage.member_of_community_id,
            OutboxMessage.member_user_id,
            OutboxMessage.list_unsubscribe,
        )
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < app.config["MAIL_MAX_ATTEMPTS"],
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(size)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    taken = [
        Claimed(
            r.id,
            r.recipient,
            r.subject,
            r.body,
            r.attempts + 1,
            (r.member_of_community_id, r.member_user_id or 0)
            if r.member_of_community_id is not None
            else None,
            r.list_unsubscribe,
        )
        for r in db.session.execute(query)
    ]
    claimed_at = max(now, utcnow())  # the lease runs from the claim, not from `now`
    _set(
        [c.id for c in taken],
        next_attempt_at=claimed_at + timedelta(seconds=app.config["MAIL_LEASE_SECONDS"]),
    )
    if taken:
        _set([taken[0].id], attempts=OutboxMessage.attempts + 1)
    db.session.commit()
    return taken


def _failed(claimed: Claimed, error: Exception, now: datetime) -> None:
    log.warning("delivery of outbox message %s failed: %s", claimed.id, error)
    _set(
        [claimed.id],
        last_error=str(error)[:500],
        next_attempt_at=now + timedelta(minutes=min(2**claimed.attempts, 240)),
    )


def _send_batch(app: Flask, batch: list[Claimed], now: datetime) -> int:
    """Send the claimed rows over one connection; each is marked and committed at once.

    A row is marked sent and committed right after the server accepted it, so a crash
    can repeat at most the one message in flight (accepted, not yet committed); the
    rows not reached stay claimed until the lease ends and then go out. The next row's
    attempt is counted in the same commit, and whether its recipient may still have it
    is asked right before it is sent. A refused recipient fails only that row (retried
    later with a back-off); a dropped connection, or a lease running short, leaves the
    rest queued at once.
    """
    delivered = 0
    sender = app.config["MAIL_SENDER"]
    # Start no send that could still be running when the lease (counted from the claim,
    # just before this) ends.
    lease = app.config["MAIL_LEASE_SECONDS"]
    stop_at = time.monotonic() + lease - min(6 * SMTP_TIMEOUT, lease / 2)
    pending = list(batch)
    counted = {batch[0].id} if batch else set()  # the claim counted the first one

    def count_next() -> None:
        if pending and pending[0].id not in counted:
            _set([pending[0].id], attempts=OutboxMessage.attempts + 1)
            counted.add(pending[0].id)

    try:
        with TRANSPORTS[app.config["MAIL_BACKEND"]](app) as send:
            while pending and time.monotonic() < stop_at:
                claimed = pending.pop(0)
                if not claimed.still_addressed():  # left or removed while the batch went out
                    dropped_at = utcnow()
                    _set([claimed.id], dropped_at=dropped_at, sent_at=dropped_at)
                    count_next()
                    db.session.commit()
                    continue
                try:
                    send(build_message(claimed, sender))
                except SQLAlchemyError:
                    raise
                except Exception as exc:
                    _failed(claimed, exc, now)
                    if is_recipient_refusal(exc):
                        count_next()
                        db.session.commit()
                        continue
                    db.session.commit()
                    break  # the connection is gone: the rest waits for the next batch
                _set([claimed.id], sent_at=utcnow(), last_error=None)
                count_next()
                db.session.commit()
                delivered += 1
    except SQLAlchemyError:
        raise
    except Exception as exc:  # no connection (or it failed when closing)
        if len(pending) == len(batch):  # never connected: the batch failed once
            uncounted = [c.id for c in pending if c.id not in counted]
            _set(uncounted, attempts=OutboxMessage.attempts + 1)
            for claimed in pending:
                _failed(claimed, exc, now)
            pending = []
        else:
            log.warning("mail connection ended: %s", exc)
    # Never tried: due again at once, an attempt counted for it given back.
    _set([c.id for c in pending if c.id in counted], attempts=OutboxMessage.attempts - 1)
    _set([c.id for c in pending], next_attempt_at=now)
    db.session.commit()
    return delivered


def deliver_due(
    app: Flask, ids: list[int] | None = None, limit: int = 500, *, now: datetime | None = None
) -> int:
    """Deliver up to `limit` due outbox rows (only `ids` when given) in batches of
    `MAIL_BATCH_SIZE`, one connection per batch; the number delivered.

    Two workers never take the same row (see `_claim`). Rows that failed wait for
    their next attempt, so the loop ends.
    """
    now = now or utcnow()
    delivered = taken = 0
    while taken < limit:
        rows = _claim(app, ids, min(app.config["MAIL_BATCH_SIZE"], limit - taken), now)
        if not rows:
            break
        taken += len(rows)
        delivered += _send_batch(app, rows, now)
    db.session.commit()
    return delivered


def deliver_after_request(app: Flask) -> None:
    """Deliver what the request's commit put in the outbox (inline delivery)."""
    ids = db.session.info.pop(_COMMITTED, None)
    if ids and app.config["MAIL_DELIVERY"] == "inline":
        deliver_due(app, ids=ids)


def init_app(app: Flask) -> None:
    if app.config["MAIL_BACKEND"] not in TRANSPORTS:
        raise RuntimeError(f"unknown MAIL_BACKEND {app.config['MAIL_BACKEND']!r}")

    @app.teardown_request
    def _deliver(exc: BaseException | None) -> None:
        if exc is None:
            try:
                deliver_after_request(current_app._get_current_object())  # type: ignore[attr-defined]
            except Exception:  # delivery must never break the response; rows stay queued
                log.exception("inline mail delivery failed")
                db.session.rollback()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def absolute_url(endpoint: str, **values: Any) -> str:
    """A link for an e-mail, on the public address in `BASE_URL`."""
    from flask import url_for

    return str(current_app.config["BASE_URL"]) + url_for(endpoint, **values)


def site_url(path: str) -> str:
    """A path on this site as a link for an e-mail."""
    return str(current_app.config["BASE_URL"]) + path
