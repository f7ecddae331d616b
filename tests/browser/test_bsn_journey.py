"""The BSN warning in the browser: a case with a BSN is held back with the warning (at 320 and
1280 px, axe-clean), then published once the author confirms; a contribution likewise."""

from __future__ import annotations

from pages import LiveServer, LoginPage, assert_accessible, assert_no_horizontal_scroll
from playwright.sync_api import Page, expect

from community.accounts.passwords import hash_password
from community.extensions import db
from community.markdown import render
from community.models import Community, Membership, User
from community.models.base import utcnow

PASSWORD = "een-lang-wachtwoord-voor-het-bsn"
WARNING = "Hier staat een getal dat op een BSN lijkt"


def _world(live: LiveServer) -> str:
    with live.app.app_context():
        user = User(
            name="Sanne Inbrenger",
            email="auteur@bsn.example",
            password_hash=hash_password(PASSWORD),
            status="active",
            email_confirmed_at=utcnow(),
            locale="nl",
        )
        description = "Kring voor de BSN-waarschuwing."
        community = Community(
            name="Kring BSN",
            slug="kring-bsn-browser",
            description=description,
            description_html=render(description),
            summary=description,
            visibility="closed",
            method="open",
        )
        db.session.add_all([user, community])
        db.session.flush()
        db.session.add(Membership(user_id=user.id, community_id=community.id, status="active"))
        db.session.commit()
        db.session.remove()
    return "kring-bsn-browser"


def _check_warning(page: Page, label: str, field: str) -> None:
    expect(page.locator(f"#{field}-error")).to_contain_text(WARNING)
    expect(page.locator(".error-summary")).to_contain_text(WARNING)
    expect(page.locator("#confirm_bsn")).not_to_be_checked()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{label} at {width}px")
        assert_no_horizontal_scroll(page, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_bsn_is_held_back_until_confirmed(page, live_server):
    slug = _world(live_server)
    LoginPage(page).open().log_in("auteur@bsn.example", PASSWORD)
    page.goto(f"/c/{slug}/cases/new")
    page.locator("#title").fill("Schuldhulp voor een gezin")
    page.locator("#context").fill("Het gaat om mevrouw met BSN 1234.56.782 in de wijk.")
    page.locator("#question").fill("Hoe bereik ik haar schuldeisers?")
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_load_state("load")
    _check_warning(page, "case form with a BSN warning", "context")
    expect(page.locator("#context")).to_have_value(
        "Het gaat om mevrouw met BSN 1234.56.782 in de wijk."
    )
    # The error summary's link brings the author to the confirmation.
    page.locator(".error-summary a[href='#confirm_bsn']").click()
    page.locator("#confirm_bsn").check()
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Schuldhulp voor een gezin")).to_be_visible()

    page.locator("#body").fill("Bel het nummer 123 456 782 van de gemeente.")
    page.locator("main form[action*='/contributions#'] button[value=post]").click()
    page.wait_for_load_state("load")
    _check_warning(page, "case page with a contribution BSN warning", "body")
    page.locator("#body").fill("Bel het algemene nummer van de gemeente.")
    page.locator("main form[action*='/contributions#'] button[value=post]").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Bel het algemene nummer van de gemeente.")).to_be_visible()
