"""The markup the layout relies on (issue 15): labelled table cells, lang="nl" on user
content in English, forms that land on their error summary, favicon and description,
audit logs in words. How it looks in a browser is in tests/browser/test_layout_journey.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from community import audit
from community.markdown import render
from community.models import Adoption, Approach, Meeting
from community.models.base import utcnow
from tests.conftest import login

TEMPLATES = Path(__file__).parent.parent / "templates"
EN = {"Accept-Language": "en"}


def _tables() -> list[tuple[str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        found += [(str(path), table) for table in re.findall(r"<table.*?</table>", text, re.S)]
    return found


def test_templates_have_tables():
    assert len(_tables()) >= 9  # members, adoptions, sessions, audit logs, admin lists


@pytest.mark.parametrize(("path", "table"), _tables(), ids=lambda value: str(value)[-40:])
def test_every_body_cell_names_its_column(path, table):
    """On a phone a row is a card; each cell shows its column's name from data-label."""
    body = table.split("<tbody", 1)[1]
    cells = re.findall(r"<t[dh]\b[^>]*>", body)
    assert cells, path
    unlabelled = [cell for cell in cells if "data-label=" not in cell]
    assert not unlabelled, f"{path}: cells without data-label: {unlabelled}"


@pytest.fixture
def community_world(make_user, make_community, make_membership, make_case, make_contribution):
    community = make_community(name="Kring Binnenstad", description="Over **leegstand**.")
    moderator = make_user(locale="en", email="mod-layout@org.example")
    member = make_user(locale="en", email="lid-layout@org.example")
    make_membership(moderator, community, role="moderator")
    make_membership(member, community)
    case = make_case(community, member, title="Lege panden in de aanloopstraat")
    make_contribution(case, moderator, body="Begin met een pandeigenarenavond.")
    return community, moderator, member, case


def _speaks(db, user, language: str) -> None:
    """The interface language: the user's own setting wins over Accept-Language."""
    user.locale = language
    db.session.commit()


def test_case_page_marks_dutch_content_in_english(client, community_world):
    community, _moderator, member, case = community_world
    login(client, member.email)
    html = client.get(f"/c/{community.slug}/cases/{case.id}", headers=EN).text
    assert re.search(r'<html[^>]*\slang="en"', html)
    assert '<h1 class="utrecht-heading-1" lang="nl">Lege panden in de aanloopstraat</h1>' in html
    assert re.search(r'<div class="prose" lang="nl"><p>Begin met een pandeigenarenavond', html)
    assert re.search(r'<div class="prose" lang="nl"><p>Wat er speelt in casus', html)


def test_community_home_marks_dutch_content_in_english(client, community_world):
    community, _moderator, member, case = community_world
    login(client, member.email)
    html = client.get(f"/c/{community.slug}", headers=EN).text
    assert re.search(r'<h1 class="utrecht-heading-1" lang="nl">Kring Binnenstad</h1>', html)
    assert re.search(r'<div class="prose" lang="nl"><p>Over <strong>leegstand', html)
    assert re.search(r'<h3 class="utrecht-heading-3" lang="nl"><a [^>]*>' + case.title, html)


def test_approach_and_meeting_pages_mark_dutch_content_in_english(
    client, db, community_world, make_meeting
):
    community, _moderator, member, _case = community_world
    approach = Approach(
        community_id=community.id,
        author_id=member.id,
        title="Pandeigenarenavond",
        summary="Eigenaren samen aan tafel.",
        summary_html=render("Eigenaren samen aan tafel."),
        steps="Uitnodigen.",
        steps_html=render("Uitnodigen."),
    )
    db.session.add(approach)
    db.session.commit()
    meeting = make_meeting(community, agenda="Opening", agenda_html=render("Opening"))
    login(client, member.email)
    html = client.get(f"/approaches/{approach.id}", headers=EN).text
    assert re.search(r'<h1 class="utrecht-heading-1" id="approach-title" lang="nl">Pandeig', html)
    assert re.search(r'<div class="summary prose" lang="nl"><p>Eigenaren', html)
    assert re.search(r'<div class="prose" lang="nl"><p>Uitnodigen', html)
    html = client.get(f"/c/{community.slug}/meetings/{meeting.id}", headers=EN).text
    assert re.search(r'<h1 class="utrecht-heading-1" lang="nl">' + meeting.title, html)
    assert re.search(r'<div class="prose" lang="nl"><p>Opening', html)


def test_dutch_pages_need_no_lang_attribute_on_content(client, db, community_world):
    community, _moderator, member, case = community_world
    _speaks(db, member, "nl")
    login(client, member.email)
    for path in (f"/c/{community.slug}", f"/c/{community.slug}/cases/{case.id}"):
        html = client.get(path).text
        assert re.search(r'<html[^>]*\slang="nl"', html)
        assert html.count('lang="nl"') == 1, path  # only <html>


def test_failed_contribution_lands_on_the_error_summary(client, community_world):
    community, _moderator, member, case = community_world
    login(client, member.email)
    url = f"/c/{community.slug}/cases/{case.id}"
    html = client.get(url).text
    action = f"{url}/contributions#bijdragen"
    assert f'action="{action}"' in html
    assert 'id="bijdragen"' in html
    assert "error-summary" not in html  # no summary, and no script, before a submit
    response = client.post(f"{url}/contributions", data={"kind": "comment", "body": "  "})
    assert response.status_code == 200
    html = response.text
    section = html.split('id="bijdragen"', 1)[1]
    summary = re.search(r'<div class="[^"]*error-summary"[^>]*>', section)
    assert summary
    assert 'tabindex="-1"' in summary.group(0)
    assert re.search(r'<script src="/static/js/error-summary\.[0-9a-f]{12}\.js" defer>', html)


def test_error_summary_script_is_served(client):
    response = client.get("/static/js/error-summary.js")
    assert response.status_code == 200
    assert ".error-summary" in response.text
    assert "focus()" in response.text


def test_favicon_and_description(client, make_user):
    response = client.get("/favicon.ico")  # anonymous: public
    assert response.status_code == 302
    icon = response.headers["Location"]
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.svg", icon)
    svg = client.get(icon)
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert svg.data.startswith(b"<svg")
    html = client.get("/login").text
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in html
    dutch = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert dutch
    assert "besloten leergemeenschappen" in dutch.group(1)
    english = re.search(
        r'<meta name="description" content="([^"]+)">', client.get("/login", headers=EN).text
    )
    assert english
    assert "closed learning communities" in english.group(1)


@pytest.fixture
def audited(db, community_world, make_user):
    community, moderator, member, case = community_world
    admin = make_user(platform_role="admin", locale="nl")
    for action in ("case.created", "membership.role_changed", "something.new"):
        audit.record(action, actor=moderator, target=case, community_id=community.id)
    audit.record("account.suspended", actor=admin, target=member, reason="test")
    db.session.commit()
    return community, moderator, admin


@pytest.mark.parametrize(
    ("headers", "words"),
    [({}, ["casus ingebracht", "rol gewijzigd"]), (EN, ["case submitted", "role changed"])],
)
def test_community_audit_log_in_words(client, db, audited, headers, words):
    community, moderator, _admin = audited
    _speaks(db, moderator, "en" if headers else "nl")
    login(client, moderator.email)
    html = client.get(f"/c/{community.slug}/audit", headers=headers).text
    for word in words:
        assert f">{word}</td>" in html
    assert ">case.created</td>" not in html
    assert ">something.new</td>" in html  # an unknown code shows as itself


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({}, ["casus ingebracht", "account geschorst"]),
        (EN, ["case submitted", "account suspended"]),
    ],
)
def test_admin_audit_log_in_words(client, db, audited, headers, words):
    _community, _moderator, admin = audited
    _speaks(db, admin, "en" if headers else "nl")
    login(client, admin.email)
    html = client.get("/admin/audit", headers=headers).text
    for word in words:
        assert f">{word} <code" in html
    assert '<code class="muted">case.created</code>' in html  # the code, for the filter
    assert ">something.new</td>" in html


def test_adoptions_table_labels_are_translated(client, db, community_world):
    community, _moderator, member, _case = community_world
    approach = Approach(community_id=community.id, author_id=member.id, title="Aanpak")
    db.session.add(approach)
    db.session.flush()
    db.session.add(
        Adoption(approach_id=approach.id, organisation_id=member.organisation_id, status="piloting")
    )
    db.session.commit()
    login(client, member.email)
    html = client.get(f"/approaches/{approach.id}", headers=EN).text
    assert 'data-label="Organisation"' in html
    assert 'data-label="Organisatie"' not in html
    _speaks(db, member, "nl")
    html = client.get(f"/approaches/{approach.id}").text
    assert 'data-label="Organisatie"' in html


def test_meeting_forms_land_on_their_section(client, community_world, make_meeting):
    community, moderator, _member, _case = community_world
    meeting = make_meeting(community, starts_at=utcnow())
    assert isinstance(meeting, Meeting)
    login(client, moderator.email)
    html = client.get(f"/c/{community.slug}/meetings/{meeting.id}").text
    assert f'/meetings/{meeting.id}/rsvp#rsvp-title"' in html
    assert 'id="rsvp-title"' in html
    assert '#verslag-schrijven"' in html
    assert 'id="verslag-schrijven"' in html
