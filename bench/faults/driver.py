"""Steady, realistic traffic through nginx, every operation logged.

Virtual users, each its own logged-in browser: reading cases (60 %), searching (15 %),
posting contributions (15 %), uploading 1–5 MB attachments with a contribution (5 %),
asking to join (5 %, by candidates; a moderator approves). Every write carries an operation
id in its text and an idempotency key; the log keeps request, status, returned id and the
SHA-256 of uploaded bytes, for the checker.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

from bench.faults.client import Browser, Reply, TransportError
from bench.faults.fixture import Fixture

WRITES_AND_READS = ("read", "search", "post", "upload", "join", "approve")
MIX = (("read", 60), ("search", 15), ("post", 15), ("upload", 5), ("join", 5))
_CONTRIBUTION = re.compile(r"#bijdrage-(\d+)$")
_REQUEST = re.compile(r'/c/[^/"]+/requests/(\d+)/approve')


@dataclass
class Operation:
    op: str
    kind: str
    user: str
    started: float
    ended: float = 0.0
    status: int | None = None  # None: no answer (transport error)
    acknowledged: bool = False
    returned_id: int | None = None
    key: str = ""
    text: str = ""
    sha256: str = ""
    traceback: bool = False
    error: str = ""


@dataclass
class Traffic:
    fixture: Fixture
    host: str
    port: int
    cafile: str
    users: int
    seed: int = 2026
    operations: list[Operation] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    candidates: list[str] = field(default_factory=list)

    def browser(self) -> Browser:
        return Browser(self.host, self.port, self.cafile)

    def record(self, operation: Operation) -> None:
        with self.lock:
            self.operations.append(operation)

    # -- one operation ----------------------------------------------------------------
    def _run(self, operation: Operation, call) -> Reply | None:  # noqa: ANN001
        try:
            reply = call()
        except TransportError as error:
            operation.error = str(error)
            reply = None
        operation.ended = time.monotonic()
        if reply is not None:
            operation.status = reply.status
            operation.traceback = reply.traceback
        self.record(operation)
        return reply

    def _post(
        self, browser: Browser, user: str, csrf: str, rng: random.Random, upload: bool
    ) -> Reply | None:
        case = rng.choice(self.fixture.cases)
        op = secrets.token_hex(8)
        operation = Operation(op, "upload" if upload else "post", user, time.monotonic())
        operation.key = f"proef-{op}"
        operation.text = f"Bijdrage van de storingsproef, operatie {op}."
        fields = {
            "csrf_token": csrf,
            "kind": "comment",
            "body": operation.text,
            "idempotency_key": operation.key,
        }
        path = f"/c/{self.fixture.slug}/cases/{case}/contributions"
        if upload:
            content = b"%PDF-1.4\n" + rng.randbytes(rng.randint(1, 5) * 1024 * 1024)
            operation.sha256 = hashlib.sha256(content).hexdigest()
            reply = self._run(
                operation,
                lambda: browser.post_multipart(
                    path, fields, {"attachment": (f"{op}.pdf", content)}
                ),
            )
        else:
            reply = self._run(operation, lambda: browser.post(path, fields))
        if reply is not None and reply.status == 302:
            found = _CONTRIBUTION.search(reply.location)
            if found:
                operation.acknowledged = True
                operation.returned_id = int(found.group(1))
        return reply

    def _join(self) -> None:
        with self.lock:
            if not self.candidates:
                return
            email = self.candidates.pop()
        browser = self.browser()
        operation = Operation(secrets.token_hex(8), "join", email, time.monotonic())
        try:
            browser.log_in(email, self.fixture.password)
            _, fields = browser.hidden_fields(f"/c/{self.fixture.slug}")
        except (TransportError, RuntimeError) as error:
            operation.error = str(error)
            operation.ended = time.monotonic()
            self.record(operation)
            return
        operation.text = f"Graag lid, operatie {operation.op}."
        reply = self._run(
            operation,
            lambda: browser.post(
                f"/c/{self.fixture.slug}/join",
                {"csrf_token": fields.get("csrf_token", ""), "motivation": operation.text},
            ),
        )
        operation.acknowledged = reply is not None and reply.status == 302
        browser.close()

    # -- the users ----------------------------------------------------------------------
    def member(self, index: int) -> None:
        rng = random.Random(self.seed + index)  # noqa: S311 - traffic, not secrets
        email = self.fixture.members[index % len(self.fixture.members)]
        browser = self.browser()
        csrf = ""
        kinds = [kind for kind, _ in MIX]
        weights = [weight for _, weight in MIX]
        while not self.stop.is_set():
            try:
                if not csrf:
                    browser.cookies.clear()
                    browser.log_in(email, self.fixture.password)
                    _, fields = browser.hidden_fields(f"/c/{self.fixture.slug}")
                    csrf = fields["csrf_token"]
            except (TransportError, RuntimeError, KeyError) as error:
                self.record(
                    Operation(
                        secrets.token_hex(8),
                        "login",
                        email,
                        time.monotonic(),
                        ended=time.monotonic(),
                        error=str(error),
                    )
                )
                time.sleep(0.5)
                continue
            kind = rng.choices(kinds, weights)[0]
            reply: Reply | None = None
            if kind == "read":
                case = rng.choice(self.fixture.cases)
                operation = Operation(secrets.token_hex(8), "read", email, time.monotonic())
                reply = self._run(
                    operation, lambda case=case: browser.get(f"/c/{self.fixture.slug}/cases/{case}")
                )
                operation.acknowledged = reply is not None and reply.status == 200
            elif kind == "search":
                operation = Operation(secrets.token_hex(8), "search", email, time.monotonic())
                reply = self._run(operation, lambda: browser.get("/search?q=proefcasus"))
                operation.acknowledged = reply is not None and reply.status == 200
            elif kind in ("post", "upload"):
                reply = self._post(browser, email, csrf, rng, upload=kind == "upload")
            else:
                self._join()
            if reply is not None and (reply.status == 400 or "/login" in reply.location):
                csrf = ""  # the session or its CSRF token is gone: log in again
            time.sleep(rng.uniform(0.05, 0.3))
        browser.close()

    def moderator(self) -> None:
        browser = self.browser()
        logged_in = False
        while not self.stop.is_set():
            try:
                if not logged_in:
                    browser.cookies.clear()
                    browser.log_in(
                        self.fixture.moderator, self.fixture.password, self.fixture.moderator_totp
                    )
                    logged_in = True
                page, fields = browser.hidden_fields(f"/c/{self.fixture.slug}/members")
                for membership in sorted(set(_REQUEST.findall(page.body))):
                    operation = Operation(
                        secrets.token_hex(8), "approve", self.fixture.moderator, time.monotonic()
                    )
                    operation.returned_id = int(membership)
                    reply = self._run(
                        operation,
                        lambda m=membership, f=fields: browser.post(
                            f"/c/{self.fixture.slug}/requests/{m}/approve",
                            {"csrf_token": f.get("csrf_token", "")},
                        ),
                    )
                    operation.acknowledged = reply is not None and reply.status == 302
            except (TransportError, RuntimeError) as error:
                logged_in = "login" not in str(error) and logged_in
                self.record(
                    Operation(
                        secrets.token_hex(8),
                        "moderate",
                        self.fixture.moderator,
                        time.monotonic(),
                        ended=time.monotonic(),
                        error=str(error),
                    )
                )
            self.stop.wait(2.0)
        browser.close()

    def start(self) -> list[threading.Thread]:
        self.candidates = list(self.fixture.candidates)
        threads = [
            threading.Thread(target=self.member, args=(i,), daemon=True) for i in range(self.users)
        ]
        threads.append(threading.Thread(target=self.moderator, daemon=True))
        for thread in threads:
            thread.start()
        return threads
