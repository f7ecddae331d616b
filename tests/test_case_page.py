"""The case page: a fixed number of queries at any length, and the right controls per role.

The contributions are loaded as plain rows and the viewer's rights decided once per
page (community.cases.case_page, community.policy.case_page); these tests pin what each
role sees: edit links, value buttons, hide forms, report links, hidden and held ones.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from community.extensions import db as _db
from community.models import Attachment, Contribution
from community.models.base import utcnow
from tests.conftest import count_queries, login

MAX_QUERIES = 12


@pytest.fixture
def kring(make_community, make_user, make_membership):
    community = make_community(name="Kring Casuspagina")
    people = {
        name: make_user(name=label)
        for name, label in (
            ("author", "Inbrenger Ida"),
            ("member", "Lid Lars"),
            ("other", "Lid Olga"),
            ("expert", "Deskundige Dirk"),
            ("moderator", "Moderator Mia"),
        )
    }
    for name, user in people.items():
        role = name if name in {"expert", "moderator"} else "member"
        make_membership(user, community, role=role)
    return community, people


def _articles(html: str) -> dict[int, str]:
    """Each contribution's article on the page, by id."""
    return {
        int(m.group(1)): m.group(0)
        for m in re.finditer(
            r'<article class="contribution [^"]*" id="bijdrage-(\d+)".*?</article>', html, re.S
        )
    }


def _page(client: Any, community: Any, case: Any) -> str:
    return _get(client, f"/c/{community.slug}/cases/{case.id}")


def _get(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _discussion(case: Any, people: dict[str, Any], count: int, make_contribution: Any) -> None:
    """`count` contributions by everyone: replies, hidden, held, edited, with attachments."""
    names = list(people)
    start = utcnow() - timedelta(days=1)
    made: list[Contribution] = []
    for n in range(count):
        parent = made[n - 1] if n % 4 == 3 and made[n - 1].parent_id is None else None
        made.append(
            make_contribution(
                case,
                people[names[n % len(names)]],
                kind="expert_advice" if n % 7 == 0 else "comment",
                body=f"Tekst {n}",
                parent_id=parent.id if parent else None,
                created_at=start + timedelta(minutes=n),
                edited_at=start + timedelta(hours=2) if n % 5 == 0 else None,
                hidden_at=utcnow() if n % 6 == 1 else None,
                hidden_reason="Reden" if n % 6 == 1 else None,
                pending_review=n % 9 == 2,
            )
        )
    for n, contribution in enumerate(made):
        if n % 3 == 0:
            _db.session.add(
                Attachment(
                    owner_type="contribution",
                    owner_id=contribution.id,
                    original_filename=f"bijlage-{n}.pdf",
                    stored_name=f"case-page-{case.id}-{n}",
                    media_type="application/pdf",
                    size=2048,
                    sha256="0" * 64,
                )
            )
    _db.session.commit()


@pytest.mark.parametrize("viewer", ["member", "moderator"])
def test_the_case_page_runs_the_same_queries_at_2_and_at_60_contributions(
    app, client, kring, make_case, make_contribution, viewer
):
    community, people = kring
    short = make_case(community, people["author"], phase="advice")
    long = make_case(community, people["author"], phase="advice")
    _discussion(short, people, 2, make_contribution)
    _discussion(long, people, 60, make_contribution)
    login(client, people[viewer].email)
    counts = []
    for case, expected in ((short, 2), (long, 60)):
        url = f"/c/{community.slug}/cases/{case.id}"
        _get(client, url)  # the first visit may register the browser
        with count_queries(app) as statements:
            html = _get(client, url)
        counts.append(len(statements))
        shown = len(re.findall(r'<article class="contribution ', html))
        held = _db.session.query(Contribution).filter_by(case_id=case.id, pending_review=True)
        visible = expected if viewer == "moderator" else expected - held.count()
        assert shown == visible
    # No statement per contribution. Moderators' page runs two more than a member's, at
    # every length: the experts to ask and the communities to move the case to.
    assert counts[0] == counts[1] <= MAX_QUERIES + (2 if viewer == "moderator" else 0), counts


def test_controls_for_author_member_expert_and_moderator(app, kring, make_case, make_contribution):
    community, people = kring
    case = make_case(community, people["author"], phase="advice")
    own_now = make_contribution(case, people["member"], kind="answer", body="Antwoord nu")
    own_earlier = make_contribution(
        case, people["member"], kind="question", phase="questions", body="Vraag eerder"
    )
    by_expert = make_contribution(case, people["expert"], kind="advice", body="Advies van Dirk")
    by_author = make_contribution(
        case, people["author"], kind="comment", body="Reactie", parent_id=own_now.id
    )
    all_ids = {own_now.id, own_earlier.id, by_expert.id, by_author.id}

    def articles_for(name: str) -> tuple[str, dict[int, str]]:
        client = app.test_client(use_cookies=True)
        client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "localhost"})
        login(client, people[name].email)
        html = _page(client, community, case)
        return html, _articles(html)

    html, member = articles_for("member")
    assert set(member) == all_ids
    edit = f"/c/{community.slug}/cases/{case.id}/contributions/{own_now.id}/edit"
    assert f'href="{edit}"' in member[own_now.id]
    assert "/edit" not in member[own_earlier.id]  # written in a phase that is over
    assert "/edit" not in member[by_expert.id]
    assert "Rapporteren" not in member[own_now.id]  # one does not report oneself
    assert "/flags/new?target=contribution%3A" + str(by_expert.id) in member[by_expert.id]
    assert "Verbergen" not in html
    assert "Markeer als waardevol" not in html
    # The reply sits in its contribution's list of replies.
    assert re.search(
        rf'id="bijdrage-{own_now.id}".*?</article>\s*<ol class="contribution-list '
        rf'contribution-list--replies">\s*<li>\s*<article[^>]*id="bijdrage-{by_author.id}"',
        html,
        re.S,
    )

    _html, expert = articles_for("expert")
    assert 'badge badge--expert">Deskundige<' in expert[by_expert.id]
    assert "badge--expert" not in expert[own_now.id]
    assert 'class="badge">Inbrenger<' in expert[by_author.id]
    assert "/edit" not in expert[own_now.id]

    html, moderator = articles_for("moderator")
    for contribution_id, article in moderator.items():
        assert f'action="/moderation/contribution/{contribution_id}/hide"' in article
        assert f'id="hide-reason-contribution-{contribution_id}"' in article
        assert "Rapporteren" not in article
    assert "/edit" not in html.split('id="contributions-title"')[1].split("</section>")[0]


def test_case_author_values_others_in_reflection(app, client, kring, make_case, make_contribution):
    community, people = kring
    case = make_case(community, people["author"], phase="reflection")
    by_member = make_contribution(case, people["member"], kind="advice", phase="advice")
    own = make_contribution(case, people["author"], kind="reflection", body="Mijn reflectie")
    login(client, people["author"].email)
    articles = _articles(_page(client, community, case))
    action = f"/c/{community.slug}/cases/{case.id}/contributions/{by_member.id}/valuable"
    assert f'action="{action}"' in articles[by_member.id]
    assert "Markeer als waardevol" in articles[by_member.id]
    assert "waardevol" not in articles[own.id].lower()
    assert f"/contributions/{own.id}/edit" in articles[own.id]  # reflection is open: own text
    # The button posts what the route reads: `valuable`, to the URL in the form.
    assert client.post(action, data={"valuable": "1"}).status_code == 302
    _db.session.refresh(by_member)
    assert by_member.valuable
    articles = _articles(_page(client, community, case))
    assert "Niet meer waardevol" in articles[by_member.id]
    assert "badge--valuable" in articles[by_member.id]


def test_hidden_and_held_contributions_to_each_role(
    app, kring, make_case, make_contribution, make_user, make_membership
):
    community, people = kring
    case = make_case(community, people["author"], phase="advice")
    hidden = make_contribution(
        case,
        people["member"],
        body="VERBORGEN tekst",
        hidden_at=utcnow(),
        hidden_reason="Persoonsgegevens",
    )
    held = make_contribution(case, people["member"], body="WACHTENDE tekst", pending_review=True)
    plain = make_contribution(case, people["other"], body="Gewone tekst")

    def view(name: str) -> tuple[str, dict[int, str]]:
        client = app.test_client()
        client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "localhost"})
        login(client, people[name].email)
        html = _page(client, community, case)
        return html, _articles(html)

    for name in ("other", "expert", "author"):  # members who did not write them
        html, articles = view(name)
        assert set(articles) == {hidden.id, plain.id}, name  # the held one: not at all
        assert "WACHTENDE" not in html
        assert "Verborgen door een moderator." in articles[hidden.id]
        assert "Persoonsgegevens" in articles[hidden.id]
        assert "VERBORGEN" not in html, name
        assert "Rapporteren" not in articles[hidden.id]  # nothing left to report

    html, articles = view("member")  # their author
    assert set(articles) == {hidden.id, held.id, plain.id}
    assert "VERBORGEN tekst" in articles[hidden.id]
    assert "WACHTENDE tekst" in articles[held.id]
    assert "wacht op goedkeuring" in articles[held.id]

    html, articles = view("moderator")
    assert set(articles) == {hidden.id, held.id, plain.id}
    assert "VERBORGEN tekst" in articles[hidden.id]
    assert f'action="/moderation/contribution/{hidden.id}/unhide"' in articles[hidden.id]
    assert "Weer zichtbaar maken" in articles[hidden.id]
    assert f'action="/moderation/contribution/{plain.id}/hide"' in articles[plain.id]

    # A moderator without two-step verification does not act as one: a member's view.
    lapsed = make_user(name="Moderator zonder code")
    make_membership(lapsed, community, role="moderator", second_factor=False)
    client = app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "localhost"})
    login(client, lapsed.email)
    html = _page(client, community, case)
    assert set(_articles(html)) == {hidden.id, plain.id}
    assert "VERBORGEN" not in html
    assert "/hide" not in html


def test_a_phase_with_only_held_contributions_shows_no_heading_to_others(
    app, kring, make_case, make_contribution
):
    """A heading over nothing would say that something waits for approval there."""
    community, people = kring
    case = make_case(community, people["author"], phase="advice")
    make_contribution(case, people["member"], body="WACHTENDE vraag", pending_review=True)

    def headings(name: str) -> list[str]:
        client = app.test_client()
        client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "localhost"})
        login(client, people[name].email)
        html = _page(client, community, case)
        section = html.split('id="contributions-title"', 1)[1].split("</section>", 1)[0]
        return re.findall(r'<h3 class="utrecht-heading-3">([^<]+)</h3>', section)

    assert headings("other") == []
    assert headings("member") != []  # the author sees their own, under its phase
    assert headings("moderator") != []
