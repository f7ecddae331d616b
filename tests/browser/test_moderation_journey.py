"""Moderation and 2FA in the browser: flag -> hide with a reason -> the flagger is told;
set up two-step verification and sign in with it. axe-core on the queue and the 2FA pages."""

from __future__ import annotations

import re

import pyotp
import rows
from pages import (
    Header,
    LiveServer,
    LoginPage,
    assert_accessible,
    assert_no_horizontal_scroll,
    newest_mail_to,
    save_screenshot,
)
from playwright.sync_api import Page, expect

from community.extensions import db
from community.models import Approach, Flag, Membership
from community.models.base import utcnow

PASSWORD = "een-lang-wachtwoord-voor-moderatie"


def _world(live: LiveServer) -> str:
    with live.app.app_context():
        people = rows.people(
            "moderatie.example",
            (("mod", "Mo Moderator"), ("melder", "Mel Melder"), ("schrijver", "Sam Schrijver")),
            PASSWORD,
        )
        community = rows.community(
            "Kring Moderatie", "kring-moderatie-browser", "Kring voor moderatie."
        )
        rows.members(
            community, people, (("mod", "moderator"), ("melder", "member"), ("schrijver", "member"))
        )
        case = rows.case(community, people["melder"], "Een casus")
        rows.contribution(case, people["schrijver"], "Een ongepaste vraag")
        db.session.commit()
        url = f"/c/{community.slug}/cases/{case.id}"
        db.session.remove()
    return url


def _log_in(page: Page, key: str) -> None:
    LoginPage(page).open().log_in(f"{key}@moderatie.example", PASSWORD)


def test_flag_hide_and_two_factor(page, live_server):
    case_url = _world(live_server)
    _log_in(page, "melder")
    page.goto(case_url)
    article = page.locator("article", has_text="Een ongepaste vraag")
    article.get_by_role("link", name="Rapporteren aan de moderatoren").click()
    page.wait_for_load_state("load")
    assert_accessible(page, "report form")
    page.get_by_label("Reden", exact=True).select_option("offensive")
    page.get_by_role("button", name="Rapportage versturen").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("De moderatoren bekijken je rapportage")
    assert "#bijdrage-" in page.url  # back at the contribution
    Header(page).log_out()

    # A moderator without two-step verification is sent to set it up first.
    LoginPage(page).open().log_in("mod@moderatie.example", PASSWORD, second_factor=False)
    assert page.url.endswith("/account/2fa")
    expect(page.get_by_text("stel je eerst tweestapsverificatie in")).to_be_visible()
    assert_accessible(page, "two-factor setup")
    secret = page.locator("code.feed-url").inner_text().strip()
    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.get_by_label("De code van zes cijfers uit je app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Tweestapsverificatie staat aan.")).to_be_visible()
    recovery = page.locator(".recovery-codes code").first.inner_text()
    page.goto("/")
    page.get_by_role("link", name=re.compile("Te beoordelen")).click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Kwetsend of ongepast")).to_be_visible()
    assert_accessible(page, "moderation queue")
    page.goto(case_url)
    article = page.locator("article", has_text="Een ongepaste vraag")
    article.get_by_text("Verbergen").first.click()
    article.get_by_label("Reden").fill("Niet respectvol")
    article.get_by_role("button", name="Verbergen").click()
    page.wait_for_load_state("load")
    page.goto("/moderation")
    page.get_by_label("Wat heb je gedaan, of waarom niets?").fill("Bijdrage verborgen")
    page.get_by_role("button", name="Afgehandeld").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Gerapporteerde inhoud (0)")).to_be_visible()

    Header(page).log_out()

    LoginPage(page).open().log_in("mod@moderatie.example", PASSWORD, second_factor=False)
    expect(page.get_by_role("heading", name="Tweestapsverificatie")).to_be_visible()
    assert_accessible(page, "two-factor login")
    page.get_by_label("Code uit je authenticator-app of een herstelcode").fill(recovery)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()
    Header(page).log_out()

    _log_in(page, "melder")
    page.goto("/notifications")
    expect(page.get_by_text("De moderatoren hebben je rapportage afgehandeld")).to_be_visible()
    page.goto(case_url)
    expect(page.get_by_text("Verborgen door een moderator.")).to_be_visible()
    expect(page.get_by_text("Een ongepaste vraag")).to_have_count(0)


def _queue_world(live: LiveServer) -> None:
    """A moderator's community with something in every section of the review queue."""
    with live.app.app_context():
        people = rows.people(
            "wachtrij.example",
            (
                ("wachter", "Wim Wachter"),
                ("lid", "Lotte Lid"),
                ("aanvrager", "Anna Aanvrager"),
                ("nieuw", "Nico Nieuw"),
            ),
            PASSWORD,
        )
        community = rows.community(
            "Kring Wachtrij", "kring-wachtrij-browser", "Kring voor de wachtrij."
        )
        rows.members(
            community, people, (("wachter", "moderator"), ("lid", "member"), ("nieuw", "member"))
        )
        db.session.add(
            Membership(
                user_id=people["aanvrager"].id,
                community_id=community.id,
                status="requested",
                motivation="Ik werk aan wijkaanpak in Zwolle.",
            )
        )
        case = rows.case(
            community,
            people["lid"],
            "Leegstand in de binnenstad",
            context="Winkels staan leeg; eigenaren wachten af.",
            question="Hoe krijgen we eigenaren in beweging?",
        )
        reported = rows.contribution(
            case, people["lid"], "Bel de eigenaar gewoon op zijn privénummer, 06-12345678."
        )
        rows.contribution(
            case, people["nieuw"], "Wie is de eigenaar van de panden?", pending_review=True
        )
        db.session.add(
            Approach(
                community_id=community.id,
                author_id=people["lid"].id,
                title="Eigenarenavond",
                summary="Nodig alle eigenaren uit voor één avond met de wethouder.",
                library_requested_at=utcnow(),
            )
        )
        db.session.flush()
        db.session.add(
            Flag(
                reporter_id=people["nieuw"].id,
                community_id=community.id,
                target_type="contribution",
                target_id=reported.id,
                reason="personal_data",
                details="Er staat een telefoonnummer in.",
            )
        )
        db.session.commit()
        db.session.remove()


def test_the_review_queue_at_two_widths(page, live_server):
    _queue_world(live_server)
    LoginPage(page).open().log_in("wachter@wachtrij.example", PASSWORD)
    page.get_by_role("link", name="Te beoordelen (4)").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Gerapporteerde inhoud (1)")).to_be_visible()
    expect(page.get_by_text("06-12345678")).to_be_visible()  # what was reported
    expect(page.get_by_text("Er staat een telefoonnummer in.")).to_be_visible()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"review queue at {width}px")
        assert_no_horizontal_scroll(page, width)
        save_screenshot(page, f"queue-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A message too long (past the browser's own limit) is refused beside the field,
    # the text kept; nothing is decided.
    card = page.locator("li.card", has_text="Anna Aanvrager")
    box = card.get_by_label("Bericht bij afwijzing")
    box.evaluate("el => el.removeAttribute('maxlength')")
    box.fill("Nee. " * 201)
    card.get_by_role("button", name="Afwijzen").click()
    page.wait_for_load_state("load")
    expect(page.locator(".error-summary")).to_contain_text("hoogstens 1000 tekens")
    card = page.locator("li.card", has_text="Anna Aanvrager")
    expect(card.locator(".utrecht-form-field-error-message")).to_contain_text("1000 tekens")
    expect(card.get_by_label("Bericht bij afwijzing")).to_have_value("Nee. " * 201)
    assert_accessible(page, "review queue with a refused message")

    # Approve the request with a message, from the queue; back on the queue.
    page.goto("/moderation")
    card = page.locator("li.card", has_text="Anna Aanvrager")
    card.get_by_label("Bericht bij goedkeuring").fill("Welkom in de kring, Anna!")
    card.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("Anna Aanvrager is nu lid.")
    expect(page.get_by_role("heading", name="Aanvragen voor lidmaatschap (0)")).to_be_visible()
    expect(page.get_by_role("link", name="Te beoordelen (3)")).to_be_visible()
    mail = newest_mail_to(live_server.mail_dir, "aanvrager@wachtrij.example")
    assert "Welkom in de kring, Anna!" in mail.get_content()

    # Hide the reported text and close the report, in place.
    card = page.locator("li.card", has_text="Gerapporteerd door Nico Nieuw")
    card.get_by_text("Verbergen").first.click()
    card.get_by_label("Reden").fill("Persoonsgegevens")
    card.get_by_role("button", name="Verbergen").click()
    page.wait_for_load_state("load")
    card = page.locator("li.card", has_text="Gerapporteerd door Nico Nieuw")
    expect(card.get_by_text("(verborgen)")).to_be_visible()
    card.get_by_label("Wat heb je gedaan, of waarom niets?").fill("Nummer verborgen")
    card.get_by_role("button", name="Afgehandeld").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Gerapporteerde inhoud (0)")).to_be_visible()
    assert_accessible(page, "review queue after handling")
