"""The front door and the member's home in the browser, at 320 and 1280 px, axe-core clean.

A visitor sees what Leerkring is and the communities that are not secret, never a case
title; a member sees what is new, follows the link to the first unread contribution,
and finds the case no longer new afterwards. With LEERKRING_SCREENSHOTS=<dir> set,
the pages are saved there as {front-door,home}-{320,1280}.png.
"""

from __future__ import annotations

from datetime import timedelta

import rows
from pages import (
    LiveServer,
    LoginPage,
    assert_accessible,
    assert_no_horizontal_scroll,
    save_screenshot,
)
from playwright.sync_api import Page, expect

from community.extensions import db
from community.markdown import render
from community.models import Case, Contribution, Meeting, Membership, Rsvp
from community.models.base import utcnow

PASSWORD = "een-lang-wachtwoord-voor-de-voordeur"
SECRET_NAME = "Geheime voordeurkring"
CLOSED_CASE = "Besloten casus over de voordeur"
SECRET_CASE = "Geheime casus over de voordeur"


def _world(live: LiveServer) -> dict[str, int | str]:
    with live.app.app_context():
        people = rows.people(
            "voordeur.example", (("lid", "Lotte Lid"), ("auteur", "Arjen Auteur")), PASSWORD
        )
        joined = utcnow() - timedelta(days=30)
        closed = rows.community(
            "Binnensteden van morgen",
            "binnensteden-voordeur",
            visibility="closed",
            description=(
                "Steden die hun binnenstad levendig houden nu winkelen alleen niet meer genoeg is."
            ),
        )
        secret = rows.community(
            SECRET_NAME, "geheim-voordeur", visibility="secret", description="Op uitnodiging."
        )
        wanted = rows.community(
            "Wonen en zorg in de wijk",
            "wonen-zorg-voordeur",
            visibility="closed",
            description="Langer thuis wonen.",
        )
        for community in (closed, secret):
            for user in people.values():
                db.session.add(
                    Membership(
                        user_id=user.id,
                        community_id=community.id,
                        status="active",
                        created_at=joined,
                    )
                )
        db.session.add(
            Membership(user_id=people["lid"].id, community_id=wanted.id, status="requested")
        )
        case = Case(
            community_id=closed.id,
            author_id=people["auteur"].id,
            title=CLOSED_CASE,
            context="Leegstand in de Lange Straat.",
            context_html=render("Leegstand in de Lange Straat."),
            phase="advice",
            published_at=utcnow() - timedelta(days=2),
        )
        db.session.add(case)
        db.session.add(
            Case(
                community_id=secret.id,
                author_id=people["auteur"].id,
                title=SECRET_CASE,
                phase="questions",
                published_at=utcnow(),
            )
        )
        db.session.add(
            Case(
                community_id=closed.id,
                author_id=people["lid"].id,
                title="Mijn concept over de markt",
                phase="draft",
            )
        )
        db.session.flush()
        first = None
        for n, text in enumerate(("Wat zeggen de eigenaren?", "Probeer tijdelijke verhuur.")):
            contribution = Contribution(
                case_id=case.id,
                author_id=people["auteur"].id,
                kind="advice" if n else "comment",
                phase="advice",
                body=text,
                body_html=render(text),
            )
            db.session.add(contribution)
            db.session.flush()
            first = first or contribution.id
        case.last_activity_at = utcnow()
        starts = utcnow() + timedelta(days=9)
        meeting = Meeting(
            community_id=closed.id,
            kind="expert_session",
            title="Expertsessie aanloopstraten",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )
        db.session.add(meeting)
        db.session.flush()
        db.session.add(Rsvp(meeting_id=meeting.id, user_id=people["lid"].id, response="yes"))
        db.session.commit()
        ids: dict[str, int | str] = {"case": case.id, "first": first or 0, "slug": closed.slug}
        db.session.remove()
    return ids


def _at_both_widths(page: Page, label: str, shot: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_horizontal_scroll(page, width)
        assert_accessible(page, f"{label} at {width}px")
        save_screenshot(page, f"{shot}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_front_door_then_the_members_home(page: Page, live_server: LiveServer) -> None:
    ids = _world(live_server)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Leerkring: leren van elkaars praktijk"
    )
    expect(page.get_by_role("heading", name="Binnensteden van morgen")).to_be_visible()
    expect(page.get_by_role("heading", name="Deelnemende gemeenten")).to_be_visible()
    expect(page.locator("[data-cities]")).to_contain_text("Zwolle")
    content = page.content()
    for hidden in (SECRET_NAME, CLOSED_CASE, SECRET_CASE, "Lotte Lid"):
        assert hidden not in content, hidden
    _at_both_widths(page, "front door", "front-door")
    page.locator("main").get_by_role("link", name="Inloggen").click()
    expect(page).to_have_url(f"{live_server.url}/login")

    LoginPage(page).log_in("lid@voordeur.example", PASSWORD)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Lotte Lid")
    new = page.locator('[data-section="new"]')
    expect(new).to_contain_text(CLOSED_CASE)
    expect(new).to_contain_text("2 ongelezen reacties")
    expect(page.locator('[data-section="waiting"]')).to_contain_text("Mijn concept over de markt")
    expect(page.locator('[data-section="meetings"]')).to_contain_text("Ja, ik kom")
    expect(page.locator('[data-section="requests"]')).to_contain_text(
        "je aanvraag wacht op een moderator"
    )
    assert SECRET_CASE in page.content()  # a member of the secret community sees its case
    _at_both_widths(page, "member home", "home")

    new.get_by_role("link", name=CLOSED_CASE).click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#bijdrage-{ids['first']}"), page.url
    expect(page.locator(f"#bijdrage-{ids['first']}")).to_be_visible()
    page.goto("/")
    expect(page.locator('[data-section="new"]')).not_to_contain_text(CLOSED_CASE)
