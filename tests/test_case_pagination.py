"""The case page loads a bounded number of contributions and pages on with a keyset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from community.cases import queries
from community.models.base import utcnow
from tests.conftest import login


@pytest.fixture
def discussion(make_community, make_user, make_membership, make_case, make_contribution):
    community = make_community()
    author, member = make_user(), make_user()
    make_membership(author, community)
    make_membership(member, community)
    case = make_case(community, author, phase="questions")
    start = utcnow() - timedelta(days=1)
    made = []
    for n in range(7):
        kind, parent = ("answer", made[0].id) if n == 5 else ("question", None)
        made.append(
            make_contribution(
                case,
                member if parent is None else author,
                kind=kind,
                parent_id=parent,
                body=f"Bijdrage nummer {n}",
                created_at=start + timedelta(minutes=n),
            )
        )
    return community, case, member, made


def _shown(html: str) -> list[str]:
    return re.findall(r"Bijdrage nummer (\d)", html)


def test_contributions_page_on_after_the_last_one_shown(client, monkeypatch, discussion):
    community, case, member, made = discussion
    monkeypatch.setattr(queries, "CONTRIBUTIONS_PER_PAGE", 3)
    login(client, member.email)
    url = f"/c/{community.slug}/cases/{case.id}"

    first = client.get(url).get_data(as_text=True)
    assert _shown(first) == ["0", "1", "2"]
    assert f"?after={made[2].id}#" in first
    assert "Naar de eerste bijdragen" not in first

    second = client.get(f"{url}?after={made[2].id}").get_data(as_text=True)
    # The answer to contribution 0 (on the first page) is still shown, on its own.
    assert _shown(second) == ["3", "4", "5"]
    assert f"?after={made[5].id}#" in second
    assert "Naar de eerste bijdragen" in second

    last = client.get(f"{url}?after={made[5].id}").get_data(as_text=True)
    assert _shown(last) == ["6"]
    assert '#contributions-title">Volgende' not in last
    assert not re.search(r"\?after=\d+#", last)


@pytest.mark.parametrize("after", ["abc", "-4", "0", "99999999999999", "2147483648"])
def test_nonsense_after_shows_the_first_page(client, monkeypatch, discussion, after):
    community, case, member, _made = discussion
    monkeypatch.setattr(queries, "CONTRIBUTIONS_PER_PAGE", 3)
    login(client, member.email)
    response = client.get(f"/c/{community.slug}/cases/{case.id}?after={after}")
    assert response.status_code == 200
    assert _shown(response.get_data(as_text=True)) == ["0", "1", "2"]


def test_after_from_another_case_shows_nothing_of_it(
    client, monkeypatch, discussion, make_case, make_contribution
):
    community, case, member, _made = discussion
    other = make_case(community, member, phase="questions")
    foreign = make_contribution(other, member, body="Andere casus")
    monkeypatch.setattr(queries, "CONTRIBUTIONS_PER_PAGE", 3)
    login(client, member.email)
    html = client.get(f"/c/{community.slug}/cases/{case.id}?after={foreign.id}").get_data(
        as_text=True
    )
    assert "Andere casus" not in html
    assert _shown(html) == []


def test_a_link_to_a_contribution_lands_on_the_page_that_shows_it(client, monkeypatch, discussion):
    community, case, member, made = discussion
    monkeypatch.setattr(queries, "CONTRIBUTIONS_PER_PAGE", 3)
    login(client, member.email)
    case_url = f"/c/{community.slug}/cases/{case.id}"
    expected = {
        1: case_url,
        3: f"{case_url}?after={made[2].id}",
        4: f"{case_url}?after={made[2].id}",
        6: f"{case_url}?after={made[5].id}",
    }
    for n, page in expected.items():
        response = client.get(f"{case_url}/contributions/{made[n].id}")
        assert response.status_code == 302
        assert response.headers["Location"] == f"{page}#bijdrage-{made[n].id}"
        shown = client.get(response.headers["Location"]).get_data(as_text=True)
        assert f'id="bijdrage-{made[n].id}"' in shown


def test_a_link_to_a_contribution_of_another_case_is_not_found(
    client, discussion, make_case, make_contribution
):
    community, case, member, _made = discussion
    other = make_case(community, member, phase="questions")
    foreign = make_contribution(other, member, body="Andere casus")
    login(client, member.email)
    response = client.get(f"/c/{community.slug}/cases/{case.id}/contributions/{foreign.id}")
    assert response.status_code == 404
    missing = client.get(f"/c/{community.slug}/cases/{case.id}/contributions/99999999")
    assert missing.status_code == 404


def test_posting_to_a_long_discussion_returns_to_the_page_with_the_new_contribution(
    client, monkeypatch, discussion
):
    community, case, member, made = discussion
    monkeypatch.setattr(queries, "CONTRIBUTIONS_PER_PAGE", 3)
    login(client, member.email)
    case_url = f"/c/{community.slug}/cases/{case.id}"
    response = client.post(
        f"{case_url}/contributions", data={"kind": "question", "body": "Bijdrage nummer 7"}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"{case_url}?after={made[5].id}#bijdrage-")
    assert "Bijdrage nummer 7" in client.get(location).get_data(as_text=True)


def test_a_link_into_what_the_case_page_would_not_show_is_not_found(
    app, db, discussion, make_user, make_membership, make_contribution
):
    """A hidden case, a hidden or a held contribution: nothing found, for a plain member."""
    from community.models.base import utcnow

    community, case, member, made = discussion
    moderator, newcomer = make_user(), make_user()
    make_membership(moderator, community, role="moderator")
    make_membership(newcomer, community)
    held = make_contribution(case, newcomer, kind="question", pending_review=True)
    hidden = make_contribution(case, newcomer, kind="question", hidden_at=utcnow())
    base = f"/c/{community.slug}/cases/{case.id}/contributions"
    clients = {}
    for name, user in (("member", member), ("newcomer", newcomer), ("moderator", moderator)):
        clients[name] = app.test_client()
        login(clients[name], user.email)

    def status(who: str, contribution) -> int:
        return int(clients[who].get(f"{base}/{contribution.id}").status_code)

    assert [status("member", c) for c in (made[1], held, hidden)] == [302, 404, 404]
    assert [status("newcomer", c) for c in (made[1], held, hidden)] == [302, 302, 302]
    case.hidden_at = utcnow()
    db.session.commit()
    assert [status("member", c) for c in (made[1], held, hidden)] == [404, 404, 404]
    assert [status("moderator", c) for c in (made[1], held, hidden)] == [302, 302, 302]
