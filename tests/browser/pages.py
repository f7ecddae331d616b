"""Page objects for the browser tests: what a person does on each page, by label and role.

Locators follow what a person sees (labels, roles, button text) where the text
is fixed; where the text changes with the language, they follow the form's
action or the field's id instead, so the same helper works in Dutch and English.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class LiveServer:
    """The app served on 127.0.0.1 for one test session (one per xdist worker)."""

    app: Flask
    url: str
    mail_dir: Path
    errors: list[BaseException] = field(default_factory=list)

    def prepare_second_factor(self, email_address: str) -> str | None:
        """Staff have set up two-step verification (production requires it): give an
        administrator or moderator without one a TOTP secret, and return the secret."""
        from community.accounts.two_factor import needs_second_factor
        from community.extensions import db
        from community.models import User

        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.email == email_address))
            if user is None:
                return None
            if user.totp_secret is None and needs_second_factor(user):
                user.totp_secret = pyotp.random_base32()
            # A code works once per 30-second step; a journey logs in one person more
            # than once within a step, so the last used step is forgotten first.
            user.totp_last_step = None
            db.session.commit()
            secret = user.totp_secret
            db.session.remove()
            return secret


_LIVE: list[LiveServer] = []


def use_live_server(live: LiveServer) -> None:
    """The live server whose accounts LoginPage signs in to (set by the fixture)."""
    _LIVE[:] = [live]


# -- accessibility ----------------------------------------------------------------


def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    results = _axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    target: {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, label: str = "") -> None:
    """No axe-core violations of WCAG 2.0/2.1 level A and AA on the current page.

    With LEERKRING_SCREENSHOTS=<dir> set, each checked page is also saved as a PNG.
    """
    page.wait_for_load_state("load")
    save_screenshot(page, re.sub(r"[^a-z0-9]+", "-", (label or page.url).lower()).strip("-"))
    violations = axe_violations(page)
    where = f"{label} ({page.url})" if label else page.url
    assert not violations, f"axe-core violations on {where}:\n{describe_violations(violations)}"


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """With LEERKRING_SCREENSHOTS=<dir> set, the page as ``<dir>/<name>.png``; else nothing.

    The tests never write into the working tree: docs/screenshots/ is refreshed by
    pointing LEERKRING_SCREENSHOTS there on purpose.
    """
    shots = os.environ.get("LEERKRING_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=full_page)


def assert_footer_controls_legible(page: Page) -> None:
    """axe cannot judge text on the footer's gradient, so check the one control it misses:
    the language button must take the footer's own (contrasting) text colour."""
    colours = page.evaluate(
        """() => {
            const footer = document.querySelector('footer');
            return [...footer.querySelectorAll('a, button')].map(el => [
                el.textContent.trim(), getComputedStyle(el).color, getComputedStyle(footer).color,
            ]);
        }"""
    )
    wrong = [(text, colour) for text, colour, footer in colours if colour != footer]
    assert not wrong, f"footer controls not in the footer's text colour: {wrong}"


def assert_no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width}px: {scroll_width}px wide"


# -- mail ---------------------------------------------------------------------------


def newest_mail_to(mail_dir: Path, recipient: str) -> email.message.EmailMessage:
    """The newest .eml file the `file` mail backend wrote to `recipient`."""
    for path in sorted(
        mail_dir.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True
    ):
        with path.open("rb") as handle:
            message = email.message_from_binary_file(handle, policy=email.policy.default)
        if message["To"] == recipient:
            assert isinstance(message, email.message.EmailMessage)
            return message
    raise AssertionError(f"no mail to {recipient} in {mail_dir}")


def confirmation_link(message: email.message.EmailMessage, base_url: str) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "the confirmation mail has no plain-text body"
    text = body.get_content()
    match = re.search(re.escape(base_url) + r"/confirm/\S+", text)
    assert match, f"no confirmation link to {base_url} in:\n{text}"
    return match.group(0)


# -- pages --------------------------------------------------------------------------


@dataclass
class Registration:
    name: str
    email: str
    organisation: str
    password: str
    job_title: str = ""
    password_confirm: str | None = None


class RegisterPage:
    path = "/register"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> RegisterPage:
        self.page.goto(self.path)
        expect(self.page.locator("h1")).to_have_text("Registreren")
        return self

    def fill(self, data: Registration) -> None:
        form = self.page.locator("form.form")
        form.locator("#name").fill(data.name)
        form.locator("#email").fill(data.email)
        if data.organisation:
            form.locator("#organisation").select_option(label=data.organisation)
        form.locator("#job_title").fill(data.job_title)
        form.locator("#password").fill(data.password)
        confirm = data.password if data.password_confirm is None else data.password_confirm
        form.locator("#password_confirm").fill(confirm)

    def submit(self) -> None:
        self.page.get_by_role("button", name="Account aanmaken").click()
        self.page.wait_for_load_state("load")

    def register(self, data: Registration) -> None:
        self.fill(data)
        self.submit()

    @property
    def error_summary(self) -> Any:
        return self.page.get_by_role("alert")


class LoginPage:
    path = "/login"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> LoginPage:
        self.page.goto(self.path)
        return self

    def is_current(self) -> bool:
        return self.page.url.split("?")[0].rstrip("/").endswith(self.path)

    def log_in(self, email_address: str, password: str, *, second_factor: bool = True) -> None:
        """The password, and for staff the code from their authenticator app
        (`second_factor=False`: stop where the site asks for the code or the setup)."""
        secret = _LIVE[0].prepare_second_factor(email_address) if _LIVE and second_factor else None
        form = self.page.locator("main form.form")
        form.locator("#email").fill(email_address)
        form.locator("#password").fill(password)
        form.locator("button[type=submit]").click()
        self.page.wait_for_load_state("load")
        if secret and self.page.url.split("?")[0].endswith("/login/code"):
            code_form = self.page.locator("main form.form")
            code_form.locator("#code").fill(pyotp.TOTP(secret).now())
            code_form.locator("button[type=submit]").click()
            self.page.wait_for_load_state("load")


class AccountPage:
    path = "/account"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.form = page.locator("main form.form")

    def open(self) -> AccountPage:
        self.page.goto(self.path)
        return self

    def expertise_checkbox(self, label: str) -> Any:
        return self.form.locator("fieldset").get_by_label(label, exact=True)

    def edit(
        self,
        *,
        job_title: str | None = None,
        bio: str | None = None,
        expertise: list[str] = (),  # type: ignore[assignment]
        locale: str | None = None,
    ) -> None:
        if job_title is not None:
            self.form.locator("#job_title").fill(job_title)
        if bio is not None:
            self.form.locator("#bio").fill(bio)
        for label in expertise:
            self.expertise_checkbox(label).check()
        if locale is not None:
            self.form.locator("#locale").select_option(locale)

    def save(self) -> None:
        self.form.locator("button[type=submit]").click()
        self.page.wait_for_load_state("load")


class Header:
    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def logout_button(self) -> Any:
        return self.page.locator("header form[action$='/logout'] button[type=submit]")

    def log_out(self) -> None:
        self.logout_button.click()
        self.page.wait_for_load_state("load")


class CommunityPage:
    """A community's landing page (non-members) or home (members)."""

    def __init__(self, page: Page, slug: str) -> None:
        self.page = page
        self.path = f"/c/{slug}"

    def open(self) -> CommunityPage:
        self.page.goto(self.path)
        return self

    def request_to_join(self, motivation: str) -> None:
        form = self.page.locator(f"main form[action^='{self.path}/join']")
        form.locator("#motivation").fill(motivation)
        form.locator("button[type=submit]").click()
        self.page.wait_for_load_state("load")


class MembersPage:
    def __init__(self, page: Page, slug: str) -> None:
        self.page = page
        self.path = f"/c/{slug}/members"

    def open(self) -> MembersPage:
        self.page.goto(self.path)
        return self

    def approve(self, applicant_name: str, message: str = "") -> None:
        card = self.page.locator("li.card", has_text=applicant_name)
        form = card.locator("form[action$='/approve']")
        if message:
            form.locator("textarea").fill(message)
        form.locator("button[type=submit]").click()
        self.page.wait_for_load_state("load")
