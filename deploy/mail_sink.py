"""The cluster's SMTP server: aiosmtpd on loopback, every accepted message kept in a Maildir.

Stands in for the municipality's mail relay in `make cluster` and the fault suite, which
counts what arrived (and how often) by Message-ID. Production points MAIL_SERVER at the
real relay instead.
"""

from __future__ import annotations

import argparse
import mailbox
import signal
import threading
from email import message_from_bytes, policy
from typing import Any

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, path: str) -> None:
        self.maildir = mailbox.Maildir(path, create=True)
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.original_content or b"", policy=policy.SMTP)
        with self.lock:
            self.maildir.add(message)
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    arguments = parser.parse_args()
    controller = Controller(
        MaildirHandler(arguments.maildir), hostname="127.0.0.1", port=arguments.port
    )
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
