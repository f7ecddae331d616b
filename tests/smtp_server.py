"""A real SMTP server for the tests (aiosmtpd), on a free loopback port in a thread.

It collects what it accepted, counts the connections (one SMTP session each), and
can refuse recipients or close the connection on a recipient, as real servers do.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from tests.live import free_port


@dataclass
class Received:
    recipients: list[str]
    message: Message


@dataclass
class Collector:
    """The aiosmtpd handler: what arrived, and over how many connections."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # 550: this recipient does not exist
    hang_up_on: set[str] = field(default_factory=set)  # 421: the server closes the connection
    _sessions: list[Any] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._sessions)

    @property
    def recipients(self) -> list[str]:
        with self._lock:
            return [address for item in self.received for address in item.recipients]

    def _greeted(self, session: Any) -> None:
        with self._lock:
            if not any(known is session for known in self._sessions):
                self._sessions.append(session)

    async def handle_EHLO(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self._greeted(session)
        session.host_name = hostname
        return responses

    async def handle_HELO(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, hostname: str
    ) -> str:
        self._greeted(session)
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.hang_up_on:
            return "421 4.3.2 Service shutting down"
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            self.received.append(
                Received(list(envelope.rcpt_tos), message_from_bytes(envelope.original_content))
            )
        return "250 Message accepted for delivery"


class SMTPServer:
    """Start and stop the server; the port stays the same across restarts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.collector = Collector()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
