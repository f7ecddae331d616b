"""How outgoing mail leaves: one open connection per batch, whatever the backend.

A transport is opened once for a batch of outbox rows and yields a `send` function
for each message of it (`MAIL_BACKEND`): `smtp` keeps one SMTP connection (with
STARTTLS and login when configured) for the whole batch; `file`, `console` and
`memory` (the tests) have nothing to open.
"""

from __future__ import annotations

import os
import smtplib
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from email.message import EmailMessage

from flask import Flask

from community.models.base import utcnow

Send = Callable[[EmailMessage], None]
Transport = Callable[[Flask], AbstractContextManager[Send]]

# Seconds an SMTP connect, command or reply may take before the batch gives up.
SMTP_TIMEOUT = 30


@contextmanager
def _smtp(app: Flask) -> Iterator[Send]:
    with smtplib.SMTP(
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"], timeout=SMTP_TIMEOUT
    ) as smtp:
        if app.config["MAIL_USE_TLS"]:
            smtp.starttls()
        if app.config["MAIL_USERNAME"]:
            smtp.login(app.config["MAIL_USERNAME"], app.config["MAIL_PASSWORD"] or "")

        def send(message: EmailMessage) -> None:
            smtp.send_message(message)

        yield send


def _each(send: Callable[[Flask, EmailMessage], None]) -> Transport:
    """A transport with no connection: `send(app, message)` for every message."""

    @contextmanager
    def transport(app: Flask) -> Iterator[Send]:
        yield lambda message: send(app, message)

    return transport


def _to_file(app: Flask, message: EmailMessage) -> None:
    directory = app.config["MAIL_FILE_DIR"]
    os.makedirs(directory, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(message.as_bytes())


def _to_console(app: Flask, message: EmailMessage) -> None:
    sys.stdout.write(message.as_string() + "\n")
    sys.stdout.flush()


def _to_memory(app: Flask, message: EmailMessage) -> None:
    sent_messages(app).append(message)


def sent_messages(app: Flask) -> list[EmailMessage]:
    """The messages the `memory` backend delivered (used by the tests)."""
    messages: list[EmailMessage] = app.extensions.setdefault("leerkring_sent_mail", [])
    return messages


TRANSPORTS: dict[str, Transport] = {
    "smtp": _smtp,
    "file": _each(_to_file),
    "console": _each(_to_console),
    "memory": _each(_to_memory),
}


def is_recipient_refusal(error: Exception) -> bool:
    """The server refused this one message (its recipient, sender or data) and said so:
    the connection is still good for the next one. Anything else, and a 421 (the server
    is closing the connection), ends the batch."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return 421 not in {code for code, _message in error.recipients.values()}
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return error.smtp_code != 421
    return False
