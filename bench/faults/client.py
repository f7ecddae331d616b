"""A browser-like HTTPS client for the fault suite: one keep-alive connection, its cookies,
the CSRF token and idempotency key from the form it posts, multipart uploads."""

from __future__ import annotations

import http.client
import itertools
import re
import secrets
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyotp

TIMEOUT = 60.0
_addresses = itertools.count(1)


def next_address() -> str:
    """A loopback source address of its own (Linux routes all of 127.0.0.0/8 to lo): each
    browser comes from its own address, as people do, so per-address limits apply per
    browser and not to the whole suite at once."""
    n = next(_addresses) % 60000
    return f"127.{n // 250 + 1}.{n % 250 + 1}.1"


@dataclass
class Reply:
    status: int
    location: str
    body: str
    seconds: float
    data: bytes = b""

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.body


class TransportError(Exception):
    """No answer: the connection failed or was cut (the request may or may not have run)."""


@dataclass
class Browser:
    host: str
    port: int
    cafile: str
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPSConnection | None = None
    source: str = field(default_factory=next_address)

    def _connect(self) -> http.client.HTTPSConnection:
        if self.connection is None:
            context = ssl.create_default_context(cafile=self.cafile)
            self.connection = http.client.HTTPSConnection(
                self.host,
                self.port,
                timeout=TIMEOUT,
                context=context,
                source_address=(self.source, 0),
            )
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            sent["Content-Type"] = content_type
            # As a browser does: over HTTPS Flask-WTF wants a same-origin Referer on a POST.
            sent["Referer"] = f"https://{self.host}:{self.port}{path}"
        sent.update(headers or {})
        started = time.monotonic()
        try:
            connection = self._connect()
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            text = data.decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise TransportError(f"{method} {path}: {error!r}") from error
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "01 Jan 1970" in header or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Reply(
            response.status,
            response.getheader("Location", "") or "",
            text,
            time.monotonic() - started,
            data,
        )

    def get(self, path: str) -> Reply:
        return self.send("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Reply:
        return self.send(
            "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Reply:
        boundary = "----proef" + secrets.token_hex(12)
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                ).encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.send("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def hidden_fields(self, path: str) -> tuple[Reply, dict[str, str]]:
        page = self.get(path)
        fields: dict[str, str] = {}
        for tag in re.findall(r"<input[^>]*>", page.body):
            name = re.search(r'name="([a-z_]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if 'type="hidden"' in tag and name and value:
                fields.setdefault(name.group(1), value.group(1))
        return page, fields

    def log_in(self, email: str, password: str, totp_secret: str | None = None) -> None:
        _, fields = self.hidden_fields("/login")
        reply = self.post(
            "/login", {"email": email, "password": password, "csrf_token": fields["csrf_token"]}
        )
        if totp_secret is not None and "/login/code" in reply.location:
            for _attempt in range(2):
                _, fields = self.hidden_fields("/login/code")
                code = pyotp.TOTP(totp_secret).now()
                reply = self.post("/login/code", {"code": code, "csrf_token": fields["csrf_token"]})
                if reply.status == 302:
                    break
                # A code works once per 30-second step (replay protection): wait for the next.
                time.sleep(30.5 - time.time() % 30)
        if reply.status != 302 or "/login" in reply.location:
            raise RuntimeError(f"login of {email} failed: {reply.status} {reply.location}")
