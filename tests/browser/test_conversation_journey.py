"""Conversation on the case page in the browser: reply in place (with JavaScript), the reply
page (without), the button that says what is posted, the live preview, the draft kept in the
browser, a mention that links to the member, and an appreciation. axe-core on the case page
with the form open under a contribution and on the reply page, at 320 and 1280 px.

With LEERKRING_SCREENSHOTS=<dir> the case page with the reply form open is saved as
`case-reply-320.png` and `case-reply-1280.png` (docs/screenshots/ holds the ones in the repo).
"""

from __future__ import annotations

import pytest
import rows
from pages import (
    Header,
    LiveServer,
    LoginPage,
    assert_accessible,
    assert_no_horizontal_scroll,
    save_screenshot,
)
from playwright.sync_api import Page, expect

from community.extensions import db

PASSWORD = "een-lang-wachtwoord-voor-het-gesprek"
QUESTION = "Hoeveel eigenaren wonen in het buitenland?"


def _world(live: LiveServer, tag: str) -> dict[str, object]:
    """A community with a case in the questions phase and one question by a member."""
    with live.app.app_context():
        people = rows.people(
            f"gesprek-{tag}.example",
            (
                ("author", f"Sanne Inbrenger {tag}"),
                ("member", f"Lotte Lid {tag}"),
                ("peer", f"Piet Peer {tag}"),
            ),
            PASSWORD,
        )
        community = rows.community(
            f"Kring Gesprek {tag}",
            f"kring-gesprek-{tag}",
            "Intervisie over leegstand.",
            visibility="closed",
            method="incident",
        )
        rows.members(community, people, ((key, "member") for key in people))
        case = rows.case(
            community,
            people["author"],
            "Lege panden in de aanloopstraat",
            context="Een derde van de panden tussen station en centrum staat leeg.",
            question="Hoe krijg ik verspreide eigenaren aan tafel?",
        )
        contribution = rows.contribution(case, people["member"], QUESTION)
        db.session.commit()
        world = {
            "url": f"/c/{community.slug}/cases/{case.id}",
            "case_id": case.id,
            "question_id": contribution.id,
            "member_id": people["member"].id,
            "member_name": people["member"].name,
            "emails": {key: user.email for key, user in people.items()},
        }
        db.session.remove()
    return world


def _log_in_as(page: Page, world: dict[str, object], key: str) -> None:
    emails = world["emails"]
    assert isinstance(emails, dict)
    LoginPage(page).open().log_in(emails[key], PASSWORD)


@pytest.mark.parametrize("width", [320, 1280])
def test_reply_in_place_with_javascript(page, live_server, width):
    world = _world(live_server, f"js{width}")
    page.set_viewport_size({"width": width, "height": 900})
    _log_in_as(page, world, "author")
    page.goto(str(world["url"]))
    form = page.locator("#contribution-form")
    draft_key = f"leerkring-draft-case-{world['case_id']}"

    # A draft stays in the browser across a reload.
    form.locator("#body").fill("Eerste gedachte")
    page.reload()
    expect(page.locator("#body")).to_have_value("Eerste gedachte")

    # "Reageer" opens the form under the question, set to reply to it; "Annuleren" puts
    # it back as a new contribution.
    cancel = form.get_by_role("button", name="Annuleren")
    expect(cancel).to_be_hidden()
    question = page.locator(f"#bijdrage-{world['question_id']}")
    reply_link = question.get_by_role("link", name="Reageer")
    reply_link.click()
    expect(cancel).to_be_visible()
    cancel.click()
    expect(page.locator("#bijdragen #contribution-form")).to_be_visible()
    expect(form.locator("input[name=parent_id]")).to_have_value("")
    expect(reply_link).to_be_focused()
    reply_link.click()
    expect(page.locator(f"#bijdrage-{world['question_id']} + #contribution-form")).to_be_visible()
    expect(form.locator("input[name=parent_id]")).to_have_value(str(world["question_id"]))
    expect(form.locator("#body")).to_be_focused()
    submit = form.locator("[data-submit-button]")
    expect(submit).to_have_text("Geef je antwoord")  # the owner answers a question
    form.locator("#kind-comment").check()
    expect(submit).to_have_text("Reactie plaatsen")
    form.locator("#kind-answer").check()
    expect(submit).to_have_text("Geef je antwoord")

    body = f"Ongeveer een kwart. @{world['member_name']} weet er **meer** van."
    form.locator("#body").fill(body)
    url_before = page.url
    form.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = form.locator("#contribution-preview")
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("meer")
    assert page.url == url_before  # no page load
    expect(preview.locator(f"a[href='/people/{world['member_id']}']")).to_be_visible()
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"case page with the reply form open at {width}px")
    page.evaluate(f"document.getElementById('bijdrage-{world['question_id']}').scrollIntoView()")
    save_screenshot(page, f"case-reply-{width}", full_page=False)

    submit.click()
    page.wait_for_load_state("load")
    assert "#bijdrage-" in page.url
    new_id = page.url.rsplit("#bijdrage-", 1)[1]
    reply = page.locator(f".contribution-list--replies #bijdrage-{new_id}")
    expect(reply).to_contain_text("Ongeveer een kwart.")
    expect(reply.locator(f"a[href='/people/{world['member_id']}']")).to_have_text(
        f"@{world['member_name']}"
    )
    expect(page.locator("#body")).to_have_value("")  # the draft is gone once posted
    assert page.evaluate(f"window.localStorage.getItem('{draft_key}')") is None
    # Replies have no reply link of their own (one level of threading).
    expect(reply.get_by_role("link", name="Reageer")).to_have_count(0)
    Header(page).log_out()

    # Another member appreciates the question; the count shows on it.
    _log_in_as(page, world, "peer")
    page.goto(str(world["url"]))
    question = page.locator(f"#bijdrage-{world['question_id']}")
    question.get_by_role("button", name="Waardeer").click()
    page.wait_for_load_state("load")
    question = page.locator(f"#bijdrage-{world['question_id']}")
    expect(question.get_by_role("button", name="Waardeer")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(question.locator(".appreciations")).to_have_text("1 waardering")
    assert_accessible(page, f"case page with an appreciation at {width}px")


def test_reply_page_without_javascript(browser, live_server, page):
    world = _world(live_server, "nojs")
    # axe-core needs JavaScript: the reply page is checked in a context with it.
    _log_in_as(page, world, "author")
    page.goto(f"{world['url']}/contributions/{world['question_id']}/reply")
    expect(page.get_by_text(QUESTION)).to_be_visible()
    assert_accessible(page, "reply page")

    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 1280, "height": 900},
        ignore_https_errors=True,
        java_script_enabled=False,
    )
    try:
        plain = context.new_page()
        _log_in_as(plain, world, "author")
        plain.goto(str(world["url"]))
        question = plain.locator(f"#bijdrage-{world['question_id']}")
        question.get_by_role("link", name="Reageer").click()
        plain.wait_for_load_state("load")
        assert plain.url.endswith(f"/contributions/{world['question_id']}/reply")
        expect(plain.get_by_role("heading", name="Reageren op een bijdrage")).to_be_visible()
        expect(plain.get_by_text(QUESTION)).to_be_visible()
        form = plain.locator("#contribution-form")
        expect(form.locator("[data-submit-button]")).to_have_text("Geef je antwoord")
        form.locator("#body").fill("Ongeveer een kwart, zonder JavaScript.")
        form.locator("[data-submit-button]").click()
        plain.wait_for_load_state("load")
        assert "#bijdrage-" in plain.url
        new_id = plain.url.rsplit("#bijdrage-", 1)[1]
        expect(plain.locator(f".contribution-list--replies #bijdrage-{new_id}")).to_contain_text(
            "zonder JavaScript"
        )
    finally:
        context.close()
