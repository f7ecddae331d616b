"""The intervisie cycle in the browser: case with attachment -> question -> answer -> advice
-> expert advice -> reflection, valuable, closed. axe-core on the case form and the case page."""

from __future__ import annotations

import rows
from pages import Header, LiveServer, LoginPage, assert_accessible
from playwright.sync_api import Page, expect

from community.extensions import db

PASSWORD = "een-lang-wachtwoord-voor-de-casus"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _world(live: LiveServer) -> str:
    with live.app.app_context():
        people = rows.people(
            "casus.example",
            (("author", "Sanne Inbrenger"), ("member", "Lid Lotte"), ("expert", "Dirk Deskundige")),
            PASSWORD,
        )
        community = rows.community(
            "Kring Casus",
            "kring-casus-browser",
            "Intervisie over leegstand.",
            visibility="closed",
            method="incident",
        )
        rows.members(
            community, people, (("author", "member"), ("member", "member"), ("expert", "expert"))
        )
        db.session.commit()
        db.session.remove()
    return "kring-casus-browser"


def _log_in_as(page: Page, key: str) -> None:
    LoginPage(page).open().log_in(f"{key}@casus.example", PASSWORD)


def _contribute(page: Page, kind: str, body: str, reply_to: str | None = None) -> None:
    form = page.locator("main form[action*='/contributions#']")
    form.locator(f"#kind-{kind}").check()
    if reply_to:
        form.locator("#parent_id").select_option(label=reply_to)
    form.locator("#body").fill(body)
    form.locator("button[value=post]").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text(body)).to_be_visible()


def _move(page: Page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")


def test_case_through_the_cycle(page, live_server, tmp_path):
    slug = _world(live_server)
    attachment = tmp_path / "analyse leegstand.pdf"
    attachment.write_bytes(PDF)

    _log_in_as(page, "author")
    page.goto(f"/c/{slug}/cases/new")
    expect(page.get_by_text("zet geen persoonsgegevens van inwoners")).to_be_visible()
    assert_accessible(page, "case form")
    page.locator("#title").fill("Lege panden in de aanloopstraat")
    page.locator("#context").fill("Een derde van de panden tussen station en centrum staat leeg.")
    page.locator("#question").fill("Hoe krijg ik verspreide eigenaren aan tafel?")
    page.locator("#attachment").set_input_files(str(attachment))
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Lege panden in de aanloopstraat")).to_be_visible()
    expect(page.get_by_role("link", name="analyse leegstand.pdf")).to_be_visible()
    case_url = page.url
    assert_accessible(page, "case page in the questions phase")
    Header(page).log_out()

    _log_in_as(page, "member")
    page.goto(case_url)
    expect(page.locator("#kind-advice")).to_have_count(0)  # no advice while clarifying
    _contribute(page, "question", "Hoeveel eigenaren wonen in het buitenland?")
    Header(page).log_out()

    _log_in_as(page, "author")
    page.goto(case_url)
    _contribute(page, "answer", "Ongeveer een kwart.", reply_to=None)
    _move(page, "Naar de fase: Adviesronde")
    expect(page.get_by_role("heading", name="Fase: Adviesronde")).to_be_visible()
    Header(page).log_out()

    _log_in_as(page, "expert")
    page.goto(case_url)
    _contribute(page, "expert_advice", "Begin met een pandeigenarenavond samen met de BIZ.")
    expect(page.locator(".badge--expert").first).to_be_visible()
    assert_accessible(page, "case page in the advice round")
    Header(page).log_out()

    _log_in_as(page, "author")
    page.goto(case_url)
    expect(page.locator("form[action*='/contributions#']")).to_have_count(0)  # the owner listens
    _move(page, "Naar de fase: Reflectie")
    page.locator("article", has_text="pandeigenarenavond").get_by_role(
        "button", name="Markeer als waardevol"
    ).click()
    page.wait_for_load_state("load")
    expect(page.locator(".badge--valuable")).to_be_visible()
    _contribute(page, "reflection", "Ik organiseer in maart een avond met eigenaren en de BIZ.")
    _move(page, "Casus afronden")
    outcome = page.locator("section.outcome")
    expect(outcome).to_contain_text("Ik organiseer in maart een avond")
    expect(outcome).to_contain_text("Deskundig advies")
    assert_accessible(page, "closed case with its outcome")
