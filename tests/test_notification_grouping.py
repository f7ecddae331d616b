"""Similar notifications are grouped, and each says what happened and links to it (issue 15)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from community.models import Contribution, Notification
from tests.conftest import count_queries, login


@pytest.fixture
def circle(app, make_community, make_membership, make_user, make_case):
    community = make_community(name="Vitale binnensteden", slug="vitale-binnensteden")
    author = make_user(name="Ina Inbrenger", email_mode="each")
    others = [make_user(name=name) for name in ("Anna", "Bert", "Cees", "Dirk", "Eva")]
    for person in (author, *others):
        make_membership(person, community)
    case = make_case(community, author, phase="questions", title="Lege panden")
    second = make_case(community, author, phase="questions", title="Leegstand centrum")
    return {
        "community": community,
        "author": author,
        "others": others,
        "case": case,
        "second": second,
    }


def _ask(app, person, case, body: str = "Hoeveel panden staan er leeg?") -> None:
    client = app.test_client()
    login(client, person.email)
    response = client.post(
        f"/c/{case.community.slug}/cases/{case.id}/contributions",
        data={"kind": "question", "body": body},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _centre(client) -> str:
    html = client.get("/notifications").get_data(as_text=True)
    return html[html.index('<ul class="card-list notifications">') :]


def _unread(db, user) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    )


def test_new_contributions_on_one_case_are_one_line(app, db, client, circle):
    anna, bert, cees = circle["others"][:3]
    for person in (anna, bert, cees):
        _ask(app, person, circle["case"])
    _ask(app, anna, circle["second"])
    login(client, circle["author"].email)
    centre = _centre(client)
    assert "3 nieuwe bijdragen bij de casus Lege panden, van Cees, Bert en Anna" in centre
    assert "Anna stelde een verhelderingsvraag bij de casus Leegstand centrum" in centre
    assert centre.count('class="card card--unread"') == 2

    # The group opens at the oldest: the first new contribution, and reads all three.
    first = db.session.scalar(
        select(Contribution.id)
        .where(Contribution.case_id == circle["case"].id)
        .order_by(Contribution.id)
        .limit(1)
    )
    opens = re.search(r'href="(/notifications/\d+/open)">3 nieuwe bijdragen', centre).group(1)
    response = client.get(opens)
    assert response.headers["Location"].endswith(
        f"/c/vitale-binnensteden/cases/{circle['case'].id}/contributions/{first}"
    )
    assert _unread(db, circle["author"]) == 1  # the other case's stays unread
    centre = _centre(client)
    # Read, they are listed one by one again.
    assert "nieuwe bijdragen" not in centre
    assert centre.count("stelde een verhelderingsvraag bij de casus Lege panden") == 3


def test_more_than_three_names_and_marking_the_group_read(app, db, client, circle):
    for person in circle["others"]:
        _ask(app, person, circle["case"])
    login(client, circle["author"].email)
    centre = _centre(client)
    assert "5 nieuwe bijdragen bij de casus Lege panden, van Eva, Dirk, Cees en 2 anderen" in (
        centre
    )
    mark_id = re.search(r'name="id" value="(\d+)"', centre).group(1)
    client.post("/notifications/read", data={"id": mark_id})
    assert _unread(db, circle["author"]) == 0


def test_grouped_in_english(app, client, circle):
    anna, bert = circle["others"][:2]
    for person in (anna, bert):
        _ask(app, person, circle["case"])
    login(client, circle["author"].email)
    client.post("/language", data={"language": "en"})
    assert "2 new contributions on the case Lege panden, by Bert and Anna" in _centre(client)


def test_the_centre_costs_the_same_queries_for_3_and_20_new_contributions(app, db, client, circle):
    author = circle["author"]
    login(client, author.email)
    counts = []
    for total in (3, 20):
        with app.test_request_context():
            _notify(author, circle, total)
        db.session.commit()
        with count_queries(app) as statements:
            assert client.get("/notifications").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def _notify(author, circle, total: int) -> None:
    from community.cases.services import case_data
    from community.notifications.services import notify

    for index in range(total):
        notify(
            author,
            "contribution_added",
            community=circle["community"],
            actor=circle["others"][index % 5],
            target=circle["case"],
            contribution_kind="advice",
            contribution_id=index + 1,
            **case_data(circle["case"]),
        )


def test_the_mail_says_what_was_posted_and_links_to_it(app, db, outbox, circle):
    anna = circle["others"][0]
    _ask(app, anna, circle["case"], "Wie is eigenaar van de panden?")
    contribution_id = db.session.scalar(
        select(Contribution.id).where(Contribution.case_id == circle["case"].id)
    )
    mails = [m for m in outbox if m["To"] == circle["author"].email]
    assert len(mails) == 1
    assert mails[0]["Subject"] == (
        "Leerkring: Anna stelde een verhelderingsvraag bij de casus Lege panden"
    )
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert (
        f"/c/vitale-binnensteden/cases/{circle['case'].id}/contributions/{contribution_id}" in body
    )
    assert "/account#email_mode" in body  # one click to the notification settings
    assert "Wie is eigenaar" not in body  # never the content itself


def test_join_requests_to_one_community_are_one_line_for_its_moderator(
    app, db, client, make_community, make_membership, make_user
):
    community = make_community(name="Aanloopstraten", slug="aanloopstraten", visibility="closed")
    moderator = make_user(name="Mo Derator")
    make_membership(moderator, community, role="moderator")
    for name in ("Anna", "Bert"):
        applicant = make_user(name=name)
        visitor = app.test_client()
        login(visitor, applicant.email)
        assert visitor.post(
            "/c/aanloopstraten/join", data={"motivation": "Wij werken aan de binnenstad."}
        ).status_code in {302, 303}
    login(client, moderator.email)
    centre = _centre(client)
    assert "2 nieuwe aanvragen voor lidmaatschap van Aanloopstraten, van Bert en Anna" in centre
    opens = re.search(r'href="(/notifications/\d+/open)">2 nieuwe aanvragen', centre).group(1)
    assert client.get(opens).headers["Location"].endswith("/c/aanloopstraten/members")
    assert _unread(db, moderator) == 0
