"""Irreversible actions ask first, and words say what they count (issue 15), in Chromium at
320 px and 1280 px with axe-core: closing a case without a reflection, leaving a community,
removing a member, the adoption chart with its table, and the accessibility statement."""

from __future__ import annotations

import pytest
import rows
from pages import Header, LiveServer, LoginPage, assert_accessible, assert_no_horizontal_scroll
from playwright.sync_api import Page, expect

from community.extensions import db
from community.models import Adoption, Approach
from community.models.base import utcnow

PASSWORD = "een-lang-wachtwoord-voor-de-browser"
STATUSES = ("implemented", "implemented", "piloting", "considering")


def _world(live: LiveServer, tag: str) -> dict[str, object]:
    with live.app.app_context():
        cities = ("venlo", "tilburg", "breda", "zwolle", "leiden")
        people = rows.people(
            f"bevestig-{tag}.example",
            (
                ("mo", "Mo Derator"),
                ("inbrenger", "Ina Inbrenger"),
                ("lid", "Lars Lid"),
                ("vertrekker", "Vera Vertrek"),
            ),
            PASSWORD,
            organisations={"inbrenger": rows.organisation("venlo")},
        )
        community = rows.community(
            "Aanloopstraten " + tag,
            f"aanloopstraten-{tag}",
            "Steden die hun aanloopstraten levendig houden.",
            visibility="closed",
            method="incident",
        )
        rows.members(
            community,
            people,
            (
                ("mo", "moderator"),
                ("inbrenger", "member"),
                ("lid", "member"),
                ("vertrekker", "member"),
            ),
        )
        case = rows.case(
            community, people["inbrenger"], "Leegstand in de Lomstraat", phase="reflection"
        )
        approach = Approach(
            community_id=community.id,
            author_id=people["inbrenger"].id,
            organisation_id=people["inbrenger"].organisation_id,
            title=f"Eigenarenavond {tag}",
            summary="Samen met eigenaren.",
            scope="library",
            library_requested_at=utcnow(),
            library_approved_at=utcnow(),
        )
        db.session.add(approach)
        db.session.flush()
        for city, status in zip(cities[1:], STATUSES, strict=True):
            db.session.add(
                Adoption(
                    approach_id=approach.id,
                    organisation_id=rows.organisation(city).id,
                    status=status,
                )
            )
        db.session.commit()
        world = {
            "slug": community.slug,
            "case_url": f"/c/{community.slug}/cases/{case.id}",
            "approach": approach.title,
            "lid_id": people["lid"].id,
            "domain": f"bevestig-{tag}.example",
        }
        db.session.remove()
    return world


def _log_in(page: Page, world: dict[str, object], key: str) -> None:
    LoginPage(page).open().log_in(f"{key}@{world['domain']}", PASSWORD)


@pytest.mark.parametrize("width", [320, 1280])
def test_irreversible_actions_ask_on_a_page_of_their_own(page, live_server, width):
    world = _world(live_server, f"w{width}")
    slug = world["slug"]
    page.set_viewport_size({"width": width, "height": 900})

    # Closing without a reflection: the case page leads to a page that warns.
    _log_in(page, world, "inbrenger")
    page.goto(str(world["case_url"]))
    page.get_by_role("link", name="Casus afronden").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus afronden")
    expect(page.get_by_role("note")).to_contain_text("de opbrengst leeg")
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"confirm closing a case at {width}px")
    page.get_by_role("button", name="Toch afronden zonder reflectie").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("Afgerond")
    Header(page).log_out()

    # Leaving: the community page links to a confirmation; "Nee" changes nothing.
    _log_in(page, world, "vertrekker")
    page.goto(f"/c/{slug}")
    page.get_by_role("link", name="Leergemeenschap verlaten").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_contain_text("verlaten")
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"confirm leaving at {width}px")
    page.get_by_role("link", name="Nee, blijf lid").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("link", name="Leergemeenschap verlaten")).to_be_visible()
    page.get_by_role("link", name="Leergemeenschap verlaten").click()
    page.get_by_role("button", name="Ja, verlaat deze leergemeenschap").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("Je hebt Aanloopstraten")
    Header(page).log_out()

    # Removing a member: a too-long reason is refused beside the field and kept.
    _log_in(page, world, "mo")
    page.goto(f"/c/{slug}/members")
    page.get_by_role("link", name="Verwijderen (Lars Lid)").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Lars Lid verwijderen uit Aanloopstraten w{width}"
    )
    assert_accessible(page, f"confirm removing a member at {width}px")
    # The field's maxlength stops a browser at 500; the server refuses more all the same
    # (a client that ignores maxlength), shown here without the attribute.
    expect(page.locator("#reason")).to_have_attribute("maxlength", "500")
    page.locator("#reason").evaluate("field => field.removeAttribute('maxlength')")
    page.locator("#reason").fill("x" * 501)
    page.get_by_role("button", name="Ja, verwijder dit lid").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("alert")).to_contain_text("hoogstens 500 tekens")
    expect(page.locator("#reason")).to_have_value("x" * 501)
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"removal refused at {width}px")
    page.locator("#reason").fill("Dubbel account")
    page.get_by_role("button", name="Ja, verwijder dit lid").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text(
        "Lars Lid is uit de leergemeenschap verwijderd"
    )
    expect(page.get_by_role("cell", name="Lars Lid", exact=True)).to_have_count(0)


@pytest.mark.parametrize("width", [320, 1280])
def test_adoption_words_chart_table_and_statement(page, live_server, width):
    world = _world(live_server, f"a{width}")
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, world, "lid")
    page.goto("/approaches")
    card = page.locator("li", has_text=str(world["approach"]))
    expect(card).to_contain_text(
        "2 organisaties passen dit toe, 1 organisatie probeert dit uit, 1 organisatie overweegt dit"
    )
    page.goto("/approaches/adoptions")
    table = page.locator("#chart-table")
    expect(table.get_by_role("caption")).to_have_text(
        "Aantal organisaties per aanpak en stand van zaken"
    )
    expect(table.get_by_role("row", name=str(world["approach"]))).to_contain_text("4")
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"adoption overview at {width}px")

    page.goto("/toegankelijkheid")
    expect(page.get_by_text("B: voldoet gedeeltelijk aan de eisen")).to_be_visible()
    expect(page.get_by_role("heading", name="Bekende problemen")).to_be_visible()
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"accessibility statement at {width}px")
