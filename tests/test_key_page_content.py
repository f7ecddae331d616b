"""What the lighter key pages still show (issue 14): they load plain columns and look
labels up once per page, so these check the rows' content and that nothing of a
community the viewer may not read slips in."""

from __future__ import annotations

import re
from datetime import date

from community.extensions import db as _db
from community.models import ExpertRequest
from community.models.base import utcnow
from tests.conftest import login


def _request(case, expert, **overrides):
    request = ExpertRequest(
        case_id=case.id, expert_id=expert.id, due_on=date(2099, 1, 31), **overrides
    )
    _db.session.add(request)
    _db.session.commit()
    return request


def test_home_counts_only_open_requests_in_the_experts_own_communities(
    client, db, make_community, make_membership, make_user, make_case
):
    kring, other = make_community(), make_community()
    expert, author = make_user(), make_user()
    make_membership(expert, kring, role="expert")
    make_membership(author, kring)
    leaving = make_membership(expert, other, role="expert")
    make_membership(author, other)
    open_here = make_case(kring, author, phase="questions")
    in_advice = make_case(kring, author, phase="advice")
    reflecting = make_case(kring, author, phase="reflection")
    answered = make_case(kring, author, phase="advice")
    left_behind = make_case(other, author, phase="questions")
    for case in (open_here, in_advice, reflecting, left_behind):
        _request(case, expert)
    _request(answered, expert, answered_at=utcnow())
    login(client, expert.email)
    page = client.get("/").get_data(as_text=True)
    asked = {open_here.id, in_advice.id, left_behind.id}
    assert set(map(int, re.findall(r'data-advice-request="(\d+)"', page))) == asked

    leaving.status = "left"
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert set(map(int, re.findall(r'data-advice-request="(\d+)"', page))) == asked - {
        left_behind.id
    }


def test_home_without_requests_shows_no_advice_section(client, logged_in):
    logged_in()
    assert "Gevraagd advies" not in client.get("/").get_data(as_text=True)


def test_community_home_shows_theme_organisation_phase_and_member_organisations(
    client,
    make_community,
    make_membership,
    make_user,
    make_case,
    make_contribution,
    make_theme,
    make_organisation,
):
    theme = make_theme(name_nl="Betaalbaar wonen", name_en="Affordable housing")
    corporatie = make_organisation(name="Woonstede", kind="woningcorporatie")
    community = make_community(theme_id=theme.id)
    author = make_user(organisation=corporatie)
    reader = make_user()
    make_membership(author, community)
    make_membership(reader, community)
    case = make_case(
        community, author, title="Leegstand boven winkels", phase="advice", theme_id=theme.id
    )
    make_contribution(case, reader)
    make_contribution(case, author, hidden_at=utcnow())  # not counted
    login(client, reader.email)
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Leegstand boven winkels" in page
    assert '<span class="badge badge--phase">Adviesronde</span>' in page
    assert " · Betaalbaar wonen" in page
    assert " · Woonstede" in page
    assert 'Woonstede <span class="badge badge--woningcorporatie">woningcorporatie</span>' in page
    assert f'href="/c/{community.slug}/cases/{case.id}">Leegstand boven winkels</a>' in page
    assert " · 1 bijdrage" in page
    assert " · laatste activiteit " in page

    client.post("/language", data={"language": "en"})
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert " · Affordable housing" in page
    assert '<span class="badge badge--woningcorporatie">housing association</span>' in page
    assert '<span class="badge badge--phase">Advice round</span>' in page
    assert " · 1 contribution" in page
    assert " · last activity on " in page


def test_directory_shows_counts_only_where_the_policy_allows(
    client, make_community, make_membership, make_user, make_theme
):
    theme = make_theme(name_nl="Vitale binnensteden")
    mine = make_community(name="Eigen kring", theme_id=theme.id)
    closed = make_community(name="Besloten kring", theme_id=theme.id)
    user = make_user()
    make_membership(user, mine)
    for _ in range(3):
        make_membership(make_user(), closed)
    login(client, user.email)
    page = " ".join(client.get("/communities").get_data(as_text=True).split())
    own = page[page.index("Eigen kring") :]
    own = own[: own.index("</li>")]
    assert "Vitale binnensteden · 1 lid" in own
    other = page[page.index("Besloten kring") :]
    other = other[: other.index("</li>")]
    assert "Vitale binnensteden" in other
    assert "lid" not in other  # no count of a community one is not a member of
    assert "leden" not in other


def test_library_cards_show_scope_organisation_and_theme(
    client, db, make_community, make_membership, make_user, make_theme
):
    from community.models import Approach

    theme = make_theme(name_nl="Wijkaanpak")
    community = make_community()
    author = make_user()
    make_membership(author, community)
    for title, scope, approved in (
        ("Aanpak in de bibliotheek", "library", utcnow()),
        ("Aanpak van de kring", "community", None),
    ):
        db.session.add(
            Approach(
                community_id=community.id,
                author_id=author.id,
                organisation_id=author.organisation_id,
                theme_id=theme.id,
                title=title,
                summary="Een samenvatting",
                scope=scope,
                library_approved_at=approved,
            )
        )
    db.session.commit()
    login(client, author.email)
    page = client.get("/approaches").get_data(as_text=True)
    library = page[page.index("Aanpak in de bibliotheek") :]
    assert 'badge--valuable">Bibliotheek</span>' in library[: library.index("</li>")]
    own = page[page.index("Aanpak van de kring") :]
    own = own[: own.index("</li>")]
    assert '<span class="badge">Leergemeenschap</span>' in own
    assert f" · {author.organisation.name}" in own
    assert " · Wijkaanpak" in own
    assert " · nog geen organisatie past dit toe" in own

    outsider = make_user()
    client.post("/logout")
    login(client, outsider.email)
    page = client.get("/approaches").get_data(as_text=True)
    assert "Aanpak in de bibliotheek" in page
    assert "Aanpak van de kring" not in page
