"""End to end in the system Chromium: register, confirm by e-mail, log in, edit the
profile, switch to English and log out, with axe-core on every page on the way."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from pages import (
    AccountPage,
    Header,
    LiveServer,
    LoginPage,
    RegisterPage,
    Registration,
    assert_accessible,
    assert_footer_controls_legible,
    assert_no_horizontal_scroll,
    confirmation_link,
    newest_mail_to,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "een lange en ongewone wachtzin"
THEME = "Vitale binnensteden"
ENGLISH_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "community/translations/en/LC_MESSAGES/messages.mo"
)


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_register_confirm_login_edit_profile_switch_language_and_log_out(
    page: Any, live_server: LiveServer
) -> None:
    address = f"{_unique('j.jansen')}@venlo.nl"

    # Register as a civil servant of Venlo.
    register = RegisterPage(page).open()
    assert_accessible(page, "register")
    assert_footer_controls_legible(page)
    register.register(
        Registration(
            name="Jan Jansen",
            email=address,
            organisation="Venlo",
            job_title="Beleidsmedewerker wonen",
            password=PASSWORD,
        )
    )
    expect(page).to_have_url(f"{live_server.url}/register/sent")
    expect(page.locator("h1")).to_have_text("Controleer je e-mail")
    assert_accessible(page, "registered")

    # Confirm with the link from the mail; an address of Venlo is active right away.
    link = confirmation_link(newest_mail_to(live_server.mail_dir, address), live_server.url)
    page.goto(link)
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_role("status")).to_contain_text("Je e-mailadres is bevestigd")
    assert_accessible(page, "login after confirmation")

    # Log in.
    LoginPage(page).log_in(address, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("Welkom, Jan Jansen")
    assert_accessible(page, "home")

    # Edit the profile: job title, bio and an expertise theme.
    account = AccountPage(page).open()
    expect(page.locator("h1")).to_have_text("Mijn profiel")
    assert_accessible(page, "profile")
    account.edit(
        job_title="Programmamanager binnenstad",
        bio="Ik werk aan de binnenstad van Venlo.\nVraag me naar leegstand.",
        expertise=[THEME],
    )
    account.save()
    expect(page).to_have_url(f"{live_server.url}/account")
    expect(page.get_by_role("status")).to_contain_text("Je profiel is opgeslagen.")
    expect(account.form.locator("#job_title")).to_have_value("Programmamanager binnenstad")
    expect(account.form.locator("#bio")).to_have_value(
        "Ik werk aan de binnenstad van Venlo.\nVraag me naar leegstand."
    )
    expect(account.expertise_checkbox(THEME)).to_be_checked()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page, "profile saved")

    # Switch to English with the profile's language setting.
    account.edit(locale="en")
    account.save()
    expect(page).to_have_url(f"{live_server.url}/account")
    expect(page.locator("html[lang=en]")).to_have_count(1)
    expect(account.form.locator("#locale")).to_have_value("en")
    # The language button in the footer now offers Dutch.
    expect(page.locator("footer button[name=language]")).to_have_attribute("value", "nl")
    if ENGLISH_CATALOGUE.exists():  # compiled by `make translations`
        expect(page.locator("h1")).to_have_text("My profile")
    # The English page keeps what was saved.
    expect(account.form.locator("#job_title")).to_have_value("Programmamanager binnenstad")
    assert_accessible(page, "profile in English")
    assert_footer_controls_legible(page)

    # Log out with the button in the header.
    Header(page).log_out()
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.locator("main form[action$='/login'] #password")).to_be_visible()
    expect(Header(page).logout_button).to_have_count(0)
    assert_accessible(page, "login after logout")

    # The profile now needs a login again.
    page.goto("/account")
    expect(page).to_have_url(
        re.compile(re.escape(live_server.url) + r"/login\?next=(/|%2F)account$")
    )


def test_failed_registration_shows_error_summary_and_keeps_input(
    page: Any, live_server: LiveServer
) -> None:
    address = f"{_unique('p.pietersen')}@venlo.nl"
    register = RegisterPage(page).open()
    register.register(
        Registration(
            name="",
            email=address,
            organisation="Venlo",
            password=PASSWORD,
            password_confirm=PASSWORD + " anders",
        )
    )

    # Back on the form, nothing registered and nothing mailed.
    expect(page).to_have_url(f"{live_server.url}/register")
    assert not [p for p in live_server.mail_dir.glob("*.eml") if address in p.read_text("utf-8")], (
        "a failed registration sent mail"
    )

    summary = register.error_summary
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Er is iets niet goed ingevuld")
    links = summary.get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#name" in hrefs
    assert "#password_confirm" in hrefs
    expect(summary.locator("a[href='#password_confirm']")).to_contain_text(
        "De wachtwoorden zijn niet gelijk."
    )

    # Each link takes the keyboard to its field.
    summary.locator("a[href='#name']").click()
    expect(page.locator("#name")).to_be_focused()
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")

    # What was typed stays (but passwords are not sent back).
    expect(page.locator("#email")).to_have_value(address)
    expect(page.locator("#organisation option:checked")).to_have_text("Venlo")
    expect(page.locator("#password")).to_have_value("")
    assert_accessible(page, "register with errors")

    # Corrected, the name is kept on the next round too.
    page.locator("#name").fill("Piet Pietersen")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill("kort")
    register.submit()
    expect(register.error_summary).to_be_visible()
    expect(page.locator("#name")).to_have_value("Piet Pietersen")
    expect(page.locator("#email")).to_have_value(address)


def test_login_page_fits_a_320px_wide_screen(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 320, "height": 640},
        ignore_https_errors=True,
    )
    try:
        page = context.new_page()
        LoginPage(page).open()
        expect(page.locator("h1")).to_have_text("Inloggen")
        assert_no_horizontal_scroll(page, 320)
        assert_accessible(page, "login at 320px")
    finally:
        context.close()
