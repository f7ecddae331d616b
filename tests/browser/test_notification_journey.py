"""The notification centre groups new contributions on one case and opens at the first
(issue 15), at 320 px and 1280 px with axe-core."""

from __future__ import annotations

import pytest
import rows
from pages import LiveServer, LoginPage, assert_accessible, assert_no_horizontal_scroll
from playwright.sync_api import expect

from community.cases.services import case_data
from community.extensions import db
from community.notifications.services import notify

PASSWORD = "een-lang-wachtwoord-voor-meldingen"


def _world(live: LiveServer, tag: str) -> dict[str, object]:
    app = live.app
    with app.app_context(), app.test_request_context(base_url=live.url):
        people = rows.people(
            f"meldingen-{tag}.example",
            (("ina", "Ina Inbrenger"), ("anna", "Anna"), ("bert", "Bert"), ("cees", "Cees")),
            PASSWORD,
        )
        community = rows.community(
            "Meldingenkring " + tag, f"meldingenkring-{tag}", "Kring voor meldingen."
        )
        rows.members(community, people, [(key, "member") for key in people])
        case = rows.case(community, people["ina"], "Lege panden in de Lomstraat")
        first = None
        for key in ("anna", "bert", "cees"):
            contribution = rows.contribution(case, people[key], f"Vraag van {key}?")
            first = first or contribution.id
            notify(
                people["ina"],
                "contribution_added",
                community=community,
                actor=people[key],
                target=case,
                contribution_id=contribution.id,
                contribution_kind="question",
                **case_data(case),
            )
        db.session.commit()
        world = {"email": people["ina"].email, "first": first}
        db.session.remove()
    return world


@pytest.mark.parametrize("width", [320, 1280])
def test_grouped_notifications_open_at_the_first_new_contribution(page, live_server, width):
    world = _world(live_server, f"w{width}")
    page.set_viewport_size({"width": width, "height": 900})
    LoginPage(page).open().log_in(str(world["email"]), PASSWORD)
    page.goto("/notifications")
    group = page.get_by_role(
        "link",
        name="3 nieuwe bijdragen bij de casus Lege panden in de Lomstraat, van Cees, Bert en Anna",
    )
    expect(group).to_be_visible()
    assert_no_horizontal_scroll(page, width)
    assert_accessible(page, f"grouped notifications at {width}px")
    group.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#bijdrage-{world['first']}")
    page.goto("/notifications")
    expect(page.locator(".notifications .badge")).to_have_count(0)
    expect(
        page.get_by_role("link", name="Anna stelde een verhelderingsvraag", exact=False)
    ).to_be_visible()
