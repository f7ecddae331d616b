"""Irreversible actions ask on a page of their own (issue 15): leaving a community,
removing a member, closing a case without a reflection. The GET changes nothing; the
existing POST routes do the work."""

from __future__ import annotations

import pytest

from community.models import Membership
from tests.conftest import login


@pytest.fixture
def circle(make_community, make_membership, make_user, make_case):
    community = make_community(name="Vitale binnensteden", slug="vitale-binnensteden")
    moderator, member, author = make_user(name="Mo"), make_user(name="Lia Lid"), make_user()
    make_membership(moderator, community, role="moderator")
    membership = make_membership(member, community)
    make_membership(author, community)
    case = make_case(community, author, phase="reflection", title="Lege panden")
    return {
        "community": community,
        "moderator": moderator,
        "member": member,
        "membership": membership,
        "author": author,
        "case": case,
    }


def _status(db, membership) -> str:
    db.session.expire_all()
    return db.session.get(Membership, membership.id).status


def test_leaving_asks_first_then_leaves(client, db, circle):
    login(client, circle["member"].email)
    home = client.get("/c/vitale-binnensteden").get_data(as_text=True)
    assert 'href="/c/vitale-binnensteden/leave"' in home
    assert 'action="/c/vitale-binnensteden/leave"' not in home  # no one-click leaving
    page = client.get("/c/vitale-binnensteden/leave")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Vitale binnensteden verlaten" in html
    assert "kun je opnieuw lid worden als een moderator je aanvraag goedkeurt." in html
    assert 'action="/c/vitale-binnensteden/leave"' in html
    assert _status(db, circle["membership"]) == "active"
    client.post("/c/vitale-binnensteden/leave")
    assert _status(db, circle["membership"]) == "left"


def test_the_last_moderator_is_told_before_trying(client, circle):
    login(client, circle["moderator"].email)
    html = client.get("/c/vitale-binnensteden/leave").get_data(as_text=True)
    assert "Je bent de laatste moderator." in html
    assert 'action="/c/vitale-binnensteden/leave"' not in html


def test_removing_a_member_asks_first_and_keeps_a_too_long_reason(client, db, circle):
    login(client, circle["moderator"].email)
    path = f"/c/vitale-binnensteden/members/{circle['member'].id}/remove"
    members = client.get("/c/vitale-binnensteden/members").get_data(as_text=True)
    assert f'href="{path}"' in members
    assert f'action="{path}"' not in members
    page = client.get(path)
    assert page.status_code == 200
    assert "Lia Lid verwijderen uit Vitale binnensteden" in page.get_data(as_text=True)
    assert _status(db, circle["membership"]) == "active"

    long_reason = "x" * 501
    failed = client.post(path, data={"reason": long_reason})
    html = failed.get_data(as_text=True)
    assert failed.status_code == 200
    assert "De reden mag hoogstens 500 tekens hebben." in html
    assert 'class="utrecht-form-field-error-message"' in html  # beside the field
    assert "error-summary" in html
    assert f'value="{long_reason}"' in html
    assert _status(db, circle["membership"]) == "active"

    client.post(path, data={"reason": "Dubbel account"})
    assert _status(db, circle["membership"]) == "removed"


def test_a_plain_member_gets_403_on_the_removal_page(client, circle):
    login(client, circle["author"].email)
    path = f"/c/vitale-binnensteden/members/{circle['member'].id}/remove"
    assert client.get(path).status_code == 403


def _case_path(circle) -> str:
    return f"/c/vitale-binnensteden/cases/{circle['case'].id}"


def test_closing_without_a_reflection_warns_that_the_outcome_stays_empty(client, db, circle):
    login(client, circle["author"].email)
    case_page = client.get(_case_path(circle)).get_data(as_text=True)
    assert f'href="{_case_path(circle)}/close"' in case_page
    assert 'name="phase" value="closed"' not in case_page
    html = client.get(f"{_case_path(circle)}/close").get_data(as_text=True)
    assert "Deze casus heeft nog geen reflectie." in html
    assert "blijft de opbrengst leeg" in html
    assert "Eerst een reflectie schrijven" in html
    assert 'name="phase" value="closed"' in html
    db.session.refresh(circle["case"])
    assert circle["case"].phase == "reflection"
    client.post(f"{_case_path(circle)}/phase", data={"phase": "closed"})
    db.session.refresh(circle["case"])
    assert circle["case"].phase == "closed"


def test_with_a_reflection_the_case_closes_from_its_page(client, db, circle, make_contribution):
    make_contribution(circle["case"], circle["author"], kind="reflection", phase="reflection")
    login(client, circle["author"].email)
    case_page = client.get(_case_path(circle)).get_data(as_text=True)
    assert 'name="phase" value="closed"' in case_page
    assert f'href="{_case_path(circle)}/close"' not in case_page
    html = client.get(f"{_case_path(circle)}/close").get_data(as_text=True)
    assert "nog geen reflectie" not in html


def test_a_hidden_reflection_does_not_count(client, db, circle, make_contribution):
    from community.models.base import utcnow

    reflection = make_contribution(
        circle["case"], circle["author"], kind="reflection", phase="reflection"
    )
    reflection.hidden_at = utcnow()
    db.session.commit()
    login(client, circle["author"].email)
    html = client.get(f"{_case_path(circle)}/close").get_data(as_text=True)
    assert "Deze casus heeft nog geen reflectie." in html


def test_only_who_may_close_reaches_the_close_page(client, circle, make_user, make_membership):
    other = make_user()
    make_membership(other, circle["community"])
    login(client, other.email)
    assert client.get(f"{_case_path(circle)}/close").status_code == 403
