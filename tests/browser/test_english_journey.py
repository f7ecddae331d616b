"""The daily pages in English (issue 15), in Chromium at 320, 390 and 1280 px with axe-core:
for a member and a moderator whose language is English, and for a visitor who chose it.
Every page says it is English (`lang="en"`), does not scroll sideways, and marks the
Dutch content of members as `lang="nl"`."""

from __future__ import annotations

from typing import Any

import layout_world
import pytest
from pages import LoginPage, assert_accessible, assert_no_horizontal_scroll
from playwright.sync_api import Page, expect
from sqlalchemy import update

from community.extensions import db
from community.models import Case, User

WIDTHS = (320, 390, 1280)  # a small phone (and 400 % zoom), a common phone, a laptop


@pytest.fixture
def world(live_server: Any, request: pytest.FixtureRequest) -> layout_world.LayoutWorld:
    key = "en" + "".join(ch for ch in request.node.name if ch.isalnum())[-20:].lower()
    built = layout_world.build(live_server.app, key, contributions=5)
    with live_server.app.app_context():
        db.session.execute(
            update(User).where(User.email.in_([built.member, built.moderator])).values(locale="en")
        )
        # A case in its reflection phase: its owner may close it (the confirmation page).
        db.session.execute(update(Case).where(Case.id == built.case_id).values(phase="reflection"))
        db.session.commit()
        db.session.remove()
    return built


def _page(browser: Any, live_server: Any, width: int, locale: str = "en-GB") -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        viewport={"width": width, "height": 800},
        ignore_https_errors=True,
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _check(page: Page, path: str, width: int, heading: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en", path
    expect(page.locator("h1").first).to_contain_text(heading)
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"english {path} at {width}px")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_reads_the_daily_pages_in_english(browser, live_server, world, width):
    page = _page(browser, live_server, width)
    LoginPage(page).open().log_in(world.member, layout_world.PASSWORD)
    slug = world.slug
    case = f"/c/{slug}/cases/{world.case_id}"
    for path, heading in (
        ("/", "Welcome"),
        (f"/c/{slug}", ""),
        (case, ""),
        (f"{case}/close", "Close case"),
        (f"/c/{slug}/leave", "Leave"),
        ("/notifications", "Notifications"),
        ("/approaches", "Approaches"),
        ("/approaches/adoptions", "Who applies what?"),
        (f"/c/{slug}/meetings/{world.meeting_id}", ""),
        ("/search?q=eigenaren", "Search"),
        ("/toegankelijkheid", "Accessibility statement"),
    ):
        _check(page, path, width, heading)
    # Members' Dutch content on an English page is marked as Dutch.
    page.goto(case)
    expect(page.locator("h1[lang=nl], h1 [lang=nl]").first).to_be_visible()
    page.goto(f"{case}/close")
    expect(page.get_by_role("note")).to_contain_text("its outcome stays empty")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_moderator_and_a_visitor_in_english(browser, live_server, world, width):
    page = _page(browser, live_server, width)
    LoginPage(page).open().log_in(world.moderator, layout_world.PASSWORD)
    slug = world.slug
    for path, heading in (
        ("/moderation", "To review"),
        (f"/c/{slug}/members", ""),
        (f"/c/{slug}/audit", ""),
    ):
        _check(page, path, width, heading)
    page.context.close()

    # A visitor whose browser asks for Dutch chooses English in the footer.
    visitor = _page(browser, live_server, width, locale="nl-NL")
    visitor.goto("/")
    visitor.get_by_role("button", name="English").click()
    visitor.wait_for_load_state("load")
    _check(visitor, "/", width, "")
    _check(visitor, "/login", width, "Sign in")
    visitor.context.close()
