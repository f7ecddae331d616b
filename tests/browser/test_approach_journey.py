"""From a case to reusable knowledge in the browser: close -> approach -> library -> adoption."""

from __future__ import annotations

import rows
from pages import Header, LiveServer, LoginPage, assert_accessible
from playwright.sync_api import Page, expect

from community.extensions import db

PASSWORD = "een-lang-wachtwoord-voor-de-aanpak"


def _world(live: LiveServer) -> tuple[str, int]:
    with live.app.app_context():
        venlo = rows.organisation("venlo")
        people = rows.people(
            "aanpak.example",
            (("auteur", "Sanne Auteur"), ("moderator", "Mo Moderator"), ("tilburg", "Tim Tilburg")),
            PASSWORD,
            organisations={
                "auteur": venlo,
                "moderator": venlo,
                "tilburg": rows.organisation("tilburg"),
            },
        )
        community = rows.community(
            "Kring Aanpak",
            "kring-aanpak-browser",
            "Samen met eigenaren de straat weer levendig maken.",
            visibility="closed",
        )
        rows.members(community, people, (("auteur", "member"), ("moderator", "moderator")))
        case = rows.case(
            community,
            people["auteur"],
            "Lege panden",
            context="Leegstand.",
            question="Hoe?",
            phase="reflection",
        )
        rows.contribution(
            case,
            people["moderator"],
            "Eigenarenavond",
            kind="advice",
            phase="advice",
            valuable=True,
        )
        rows.contribution(
            case, people["auteur"], "Ik organiseer de avond.", kind="reflection", phase="reflection"
        )
        db.session.commit()
        slug, case_id = community.slug, case.id
        db.session.remove()
    return slug, case_id


def _log_in_as(page: Page, key: str) -> None:
    LoginPage(page).open().log_in(f"{key}@aanpak.example", PASSWORD)


def test_from_closed_case_to_adoption(page, live_server):
    slug, case_id = _world(live_server)
    _log_in_as(page, "auteur")
    page.goto(f"/c/{slug}/cases/{case_id}")
    page.get_by_role("button", name="Casus afronden").click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Aanpak beschrijven op basis van deze casus").click()
    page.wait_for_load_state("load")
    expect(page.locator("#title")).to_have_value("Lege panden")
    expect(page.locator("#steps")).to_have_value("Ik organiseer de avond.")
    assert_accessible(page, "approach form")
    page.locator("#title").fill("Eigenarenavond voor de aanloopstraat")
    page.locator("#summary").fill("Eigenaren persoonlijk uitnodigen, samen met de BIZ.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Eigenarenavond voor de aanloopstraat")).to_be_visible()
    page.get_by_role("button", name="Vragen om opname in de bibliotheek").click()
    page.wait_for_load_state("load")
    approach_url = page.url
    Header(page).log_out()

    _log_in_as(page, "moderator")
    page.goto(approach_url)
    page.get_by_role("button", name="In de bibliotheek zetten").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("staat nu in de bibliotheek")
    Header(page).log_out()

    _log_in_as(page, "tilburg")
    page.goto("/approaches")
    expect(page.get_by_role("link", name="Eigenarenavond voor de aanloopstraat")).to_be_visible()
    assert_accessible(page, "library")
    page.goto(approach_url)
    expect(page.get_by_role("heading", name="Herkomst (alleen voor leden)")).to_have_count(0)
    assert_accessible(page, "approach page")
    page.get_by_label("probeert dit uit").check()
    page.locator("#note").fill("We starten in mei in de Heuvelstraat.")
    page.get_by_role("button", name="Stand van zaken opslaan").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("cell", name="Tilburg", exact=True)).to_be_visible()
    page.goto("/approaches/adoptions")
    expect(page.get_by_role("rowheader", name="Tilburg")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert_accessible(page, "adoption overview")
