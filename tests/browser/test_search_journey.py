"""Search in the browser: a member finds a case of their community; axe-core clean."""

from __future__ import annotations

from pages import LiveServer, LoginPage, assert_accessible
from playwright.sync_api import expect

from community import search
from community.accounts.passwords import hash_password
from community.extensions import db
from community.markdown import render
from community.models import Case, Community, Membership, User
from community.models.base import utcnow

PASSWORD = "een-lang-wachtwoord-voor-zoeken"


def _world(live: LiveServer) -> None:
    with live.app.app_context(), live.app.test_request_context():
        user = User(
            name="Zoeker",
            email="zoeker@zoeken.example",
            password_hash=hash_password(PASSWORD),
            status="active",
            email_confirmed_at=utcnow(),
            locale="nl",
        )
        text = "Kring om te zoeken."
        community = Community(
            name="Kring Zoeken",
            slug="kring-zoeken-browser",
            description=text,
            description_html=render(text),
            summary=text,
        )
        db.session.add_all([user, community])
        db.session.flush()
        db.session.add(Membership(user_id=user.id, community_id=community.id, status="active"))
        context = "De wijk Kersenboomgaard heeft veel leegstaande winkels."
        case = Case(
            community_id=community.id,
            author_id=user.id,
            title="Winkels in de wijk",
            context=context,
            context_html=render(context),
            question="Wat nu?",
            question_html=render("Wat nu?"),
            phase="questions",
            published_at=utcnow(),
        )
        db.session.add(case)
        db.session.flush()
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
