"""Meetings in the browser: plan -> members hear of it -> a member responds -> download the
.ics -> the reminder the day before; axe-core clean."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import rows
from pages import Header, LiveServer, LoginPage, assert_accessible
from playwright.sync_api import expect

from community.extensions import db
from community.meetings.reminders import send_reminders
from community.models import Meeting

PASSWORD = "een-lang-wachtwoord-voor-bijeenkomsten"


def _world(live: LiveServer) -> str:
    with live.app.app_context():
        people = rows.people(
            "bijeenkomst.example", (("mod", "Mo Moderator"), ("lid", "Lies Lid")), PASSWORD
        )
        community = rows.community(
            "Kring Bijeenkomst", "kring-bijeenkomst-browser", "Kring met bijeenkomsten."
        )
        rows.members(community, people, (("mod", "moderator"), ("lid", "member")))
        db.session.commit()
        db.session.remove()
    return "kring-bijeenkomst-browser"


def test_plan_respond_and_download(page, live_server):
    slug = _world(live_server)
    LoginPage(page).open().log_in("mod@bijeenkomst.example", PASSWORD)
    page.goto(f"/c/{slug}/meetings/new")
    assert_accessible(page, "meeting form")
    page.locator("#title").fill("Expertsessie aanloopstraten")
    page.get_by_label("Expertsessie").check()
    page.locator("#starts_at").fill("2099-03-12T09:30")
    page.locator("#ends_at").fill("2099-03-12T12:00")
    page.locator("#location").fill("Stadhuis, zaal 2")
    page.locator("#host").select_option(label="Zwolle")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("12 maart 2099, 9.30–12.00 uur")).to_be_visible()
    meeting_url = page.url
    Header(page).log_out()

    LoginPage(page).open().log_in("lid@bijeenkomst.example", PASSWORD)
    page.goto(meeting_url)
    assert_accessible(page, "meeting page")
    page.get_by_label("Ja, ik kom").check()
    page.get_by_role("button", name="Antwoord opslaan").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("Je antwoord is opgeslagen")
    expect(page.get_by_text("1 ja, 0 misschien, 0 nee")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Zet in je agenda (.ics)").click()
    download = download_info.value
    content = Path(download.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in content
    assert "Expertsessie aanloopstraten" in content
    assert "Stadhuis\\, zaal 2" in content
    assert "BEGIN:VALARM" in content

    # The scheduled job, the day before: the member who comes is reminded, in place.
    meeting_id = int(meeting_url.rstrip("/").rsplit("/", 1)[-1])
    app = live_server.app
    with app.app_context(), app.test_request_context(base_url=live_server.url):
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting is not None
        starts = meeting.starts_at
        assert send_reminders(now=starts - timedelta(hours=20)) == 1
        db.session.commit()
        db.session.remove()
    page.goto("/notifications")
    reminder = page.get_by_role(
        "link", name="Herinnering: Expertsessie aanloopstraten begint op 12 maart 2099, 9.30 uur"
    )
    expect(reminder).to_be_visible()
    assert_accessible(page, "notifications with a meeting reminder")
    reminder.click()
    page.wait_for_load_state("load")
    assert page.url.split("?")[0] == meeting_url
