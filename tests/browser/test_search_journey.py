"""Search in the browser: a member finds a case of their community; axe-core clean."""

from __future__ import annotations

import rows
from pages import LiveServer, LoginPage, assert_accessible
from playwright.sync_api import expect

from community import search
from community.extensions import db

PASSWORD = "een-lang-wachtwoord-voor-zoeken"


def _world(live: LiveServer) -> None:
    with live.app.app_context(), live.app.test_request_context():
        people = rows.people("zoeken.example", (("zoeker", "Zoeker"),), PASSWORD)
        community = rows.community("Kring Zoeken", "kring-zoeken-browser", "Kring om te zoeken.")
        rows.members(community, people, (("zoeker", "member"),))
        case = rows.case(
            community,
            people["zoeker"],
            "Winkels in de wijk",
            context="De wijk Kersenboomgaard heeft veel leegstaande winkels.",
            question="Wat nu?",
        )
        search.index_case(case)
        db.session.commit()
        db.session.remove()


def test_member_finds_a_case(page, live_server):
    _world(live_server)
    LoginPage(page).open().log_in("zoeker@zoeken.example", PASSWORD)
    # The field in the header, on whatever page the member is.
    header = page.get_by_role("search", name="Snel zoeken")
    header.get_by_label("Zoek in casussen, aanpakken en bijeenkomsten").fill("kersenboomgaard")
    header.get_by_role("button", name="Zoeken", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator("#q")).to_have_value("kersenboomgaard")  # the page's own form
    expect(page.get_by_role("heading", name="1 resultaat")).to_be_visible()
    expect(page.locator("mark")).to_have_text("Kersenboomgaard")
    assert_accessible(page, "search results")
    page.get_by_role("link", name="Winkels in de wijk").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Winkels in de wijk")).to_be_visible()
