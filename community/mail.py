"""The transactional outbox: write mail with the change, deliver it after the commit.

`enqueue` adds an `OutboxMessage` to the current transaction. With
`MAIL_DELIVERY=inline` the messages of a request are delivered right after its
commit; with `MAIL_DELIVERY=worker` the `worker` command delivers them. A failed
delivery stays in the outbox and is retried with a back-off; nothing is lost.
"""

from __future__ import annotations

import logging
import os
import smtplib
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import Flask, current_app, render_template
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from community.extensions import db
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


def draft(
    recipient: str,
    subject: str,
    template: str,
    *,
    members_only: tuple[int, int] | None = None,
    **context: Any,
) -> Draft:
    """Render `templates/email/<template>.txt` (in the current locale) for the outbox.

    `members_only=(community_id, user_id)`: deliver only while that user is still an
    active member of that community.
    """
    body = render_template(f"email/{template}.txt", **context)
    subject = " ".join(subject.split())[:255]  # a header is one line
    return Draft(recipient, subject, body, members_only)


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
    **context: Any,
) -> OutboxMessage:
    """Render `templates/email/<template>.txt` and add it to the outbox (see `draft`)."""
    rendered = draft(recipient, subject, template, members_only=members_only, **context)
    message = OutboxMessage(recipient=recipient, subject=rendered.subject, body=rendered.body)
    if members_only is not None:
        message.member_of_community_id, message.member_user_id = members_only
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(message.id)
    return message


def build_message(row: OutboxMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="leerkring.example")
    message.set_content(row.body)
    return message


def _send_smtp(app: Flask, message: EmailMessage) -> None:
    with smtplib.SMTP(app.config["MAIL_SERVER"], app.config["MAIL_PORT"], timeout=30) as smtp:
        if app.config["MAIL_USE_TLS"]:
            smtp.starttls()
        if app.config["MAIL_USERNAME"]:
            smtp.login(app.config["MAIL_USERNAME"], app.config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def _send_file(app: Flask, message: EmailMessage) -> None:
    directory = app.config["MAIL_FILE_DIR"]
    os.makedirs(directory, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(message.as_bytes())


def _send_console(app: Flask, message: EmailMessage) -> None:
    sys.stdout.write(message.as_string() + "\n")
    sys.stdout.flush()


def _send_memory(app: Flask, message: EmailMessage) -> None:
    app.extensions.setdefault("leerkring_sent_mail", []).append(message)


BACKENDS: dict[str, Callable[[Flask, EmailMessage], None]] = {
    "smtp": _send_smtp,
    "file": _send_file,
    "console": _send_console,
    "memory": _send_memory,
}


def sent_messages(app: Flask) -> list[EmailMessage]:
    """The messages the `memory` backend delivered (used by the tests)."""
    messages: list[EmailMessage] = app.extensions.setdefault("leerkring_sent_mail", [])
    return messages


def _still_member(row: OutboxMessage) -> bool:
    if row.member_of_community_id is None:
        return True
    from community import policy

    statement = policy.still_member(row.member_of_community_id, row.member_user_id or 0)
    return db.session.scalar(statement) is not None


def _deliver_row(app: Flask, row: OutboxMessage) -> bool:
    backend = BACKENDS[app.config["MAIL_BACKEND"]]
    if not _still_member(row):  # left or removed since: the mail is not theirs any more
        row.dropped_at = utcnow()
        row.sent_at = row.dropped_at
        return False
    row.attempts += 1
    try:
        backend(app, build_message(row, app.config["MAIL_SENDER"]))
    except Exception as exc:  # any backend failure: keep the row and retry later
        log.warning("delivery of outbox message %s failed: %s", row.id, exc)
        row.last_error = str(exc)[:500]
        row.next_attempt_at = utcnow() + timedelta(minutes=min(2**row.attempts, 240))
        return False
    row.sent_at = utcnow()
    row.last_error = None
    return True


def deliver_due(app: Flask, ids: list[int] | None = None, limit: int = 50) -> int:
    """Deliver due outbox rows (only `ids` when given), one at a time.

    Each row is taken with `FOR UPDATE SKIP LOCKED` (PostgreSQL), sent, and committed
    before the next: two workers never take the same row, and a crash never sends a
    message twice. Rows that failed wait for their next attempt, so the loop ends.
    """
    started = utcnow()
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < app.config["MAIL_MAX_ATTEMPTS"],
            OutboxMessage.next_attempt_at <= started,
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    delivered = 0
    for _ in range(limit):
        row = db.session.scalar(query)
        if row is None:
            break
        delivered += _deliver_row(app, row)
        db.session.commit()
    db.session.commit()
    return delivered


def deliver_after_request(app: Flask) -> None:
    """Deliver what the request's commit put in the outbox (inline delivery)."""
    ids = db.session.info.pop(_COMMITTED, None)
    if ids and app.config["MAIL_DELIVERY"] == "inline":
        deliver_due(app, ids=ids)


def init_app(app: Flask) -> None:
    if app.config["MAIL_BACKEND"] not in BACKENDS:
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
