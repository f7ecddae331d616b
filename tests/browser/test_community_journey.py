"""Join a community: request -> a moderator approves -> the member is in, checked with axe-core."""

from __future__ import annotations

import rows
from pages import (
    CommunityPage,
    Header,
    LiveServer,
    LoginPage,
    MembersPage,
    assert_accessible,
)
from playwright.sync_api import expect

from community.extensions import db

PASSWORD = "een-lang-wachtwoord-voor-de-browser"


def _world(live: LiveServer) -> tuple[str, str, str]:
    """A closed community with a moderator, and a civil servant who is not yet a member."""
    with live.app.app_context():
        people = rows.people(
            "kring.example", (("mo", "Mo Derator"), ("sanne", "Sanne Lid")), PASSWORD
        )
        community = rows.community(
            "Vitale binnensteden",
            "vitale-binnensteden-browser",
            "Steden die hun **binnenstad** levendig willen houden.",
            visibility="closed",
            method="incident",
        )
        rows.members(community, people, (("mo", "moderator"),))
        db.session.commit()
        slug = community.slug
        db.session.remove()
    return slug, "mo@kring.example", "sanne@kring.example"


def test_request_approve_and_enter(page, live_server):
    slug, moderator, applicant = _world(live_server)

    LoginPage(page).open().log_in(applicant, PASSWORD)
    page.goto("/communities")
    expect(page.get_by_role("link", name="Vitale binnensteden")).to_be_visible()
    assert_accessible(page, "directory")
    community = CommunityPage(page, slug).open()
    expect(page.get_by_role("heading", name="Lidmaatschap aanvragen")).to_be_visible()
    assert_accessible(page, "community landing")
    community.request_to_join("In Venlo staat een derde van de aanloopstraat leeg.")
    expect(page.get_by_role("heading", name="Je aanvraag loopt")).to_be_visible()
    Header(page).log_out()

    LoginPage(page).open().log_in(moderator, PASSWORD)
    expect(page.locator("header")).to_contain_text("1")  # the unread join request
    members = MembersPage(page, slug).open()
    expect(page.get_by_text("In Venlo staat een derde")).to_be_visible()
    assert_accessible(page, "members page with a request")
    members.approve("Sanne Lid", "Welkom!")
    expect(page.get_by_role("status")).to_contain_text("Sanne Lid is nu lid")
    expect(page.get_by_role("cell", name="Sanne Lid", exact=True)).to_be_visible()
    assert_accessible(page, "members page")
    Header(page).log_out()

    LoginPage(page).open().log_in(applicant, PASSWORD)
    page.goto("/notifications")
    expect(
        page.get_by_role("link", name="Je aanvraag voor Vitale binnensteden is goedgekeurd")
    ).to_be_visible()
    assert_accessible(page, "notifications")
    # Opening the notification leads to the community and marks it read.
    page.get_by_role("link", name="Je aanvraag voor Vitale binnensteden is goedgekeurd").click()
    page.wait_for_load_state("load")
    assert page.url.split("?")[0].endswith(f"/c/{slug}")
    expect(page.get_by_role("heading", name="Casussen", exact=True)).to_be_visible()
    page.goto("/notifications")
    expect(page.locator(".notifications .badge")).to_have_count(0)
    CommunityPage(page, slug).open()
    expect(page.get_by_role("heading", name="Lidmaatschap aanvragen")).to_have_count(0)
    assert_accessible(page, "community home")
