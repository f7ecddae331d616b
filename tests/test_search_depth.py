"""Search where people look: Dutch stems on both databases, typos, periods, relevance,
hits grouped per case, plain snippets, and the field in the header — all policy-scoped."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.models import Case
from community.models.base import utcnow
from tests.conftest import login
from tests.search_paths import pytest_generate_tests, search_index  # noqa: F401

pytestmark = pytest.mark.usefixtures("search_index")


def _case(client, slug: str, title: str, context: str = "Context", question: str = "Vraag?"):
    response = client.post(
        f"/c/{slug}/cases/new",
        data={
            "title": title,
            "theme": 0,
            "context": context,
            "question": question,
            "action": "publish",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def kringen(client, db, make_community, make_membership, make_user):
    """Two closed communities: the member is in `mine` only; `other` has its own words."""
    mine = make_community(name="Kring Binnenstad", visibility="closed")
    other = make_community(name="Kring Elders", visibility="closed")
    member, outsider = make_user(), make_user()
    make_membership(member, mine)
    make_membership(outsider, other)
    login(client, outsider.email)
    _case(client, other.slug, "Beheer van de kikkerpoelen", context="Over kikkerpoelbeheer.")
    client.post("/logout")
    login(client, member.email)
    _case(client, mine.slug, "De winkels in de binnenstad", context="Leegstand en **winkels**.")
    _case(client, mine.slug, "Een winkel zoekt een huurder", context="Een pand aan de markt.")
    return {"mine": mine, "other": other, "member": member, "outsider": outsider}


def _page(client, q: str, **args) -> str:
    return client.get("/search", query_string={"q": q, **args}).get_data(as_text=True)


def _titles(page: str) -> list[str]:
    heading = r'<h3 class="utrecht-heading-3"><a class="utrecht-link" href="[^"]+">([^<]+)</a>'
    return re.findall(heading, page)


def test_dutch_stems_find_each_other_on_both_databases(client, kringen):
    for query in ("winkel", "winkels", "WINKELS"):
        titles = _titles(_page(client, query))
        assert "De winkels in de binnenstad" in titles, (query, titles)
        assert "Een winkel zoekt een huurder" in titles, (query, titles)


def test_snippets_mark_words_by_stem_and_show_no_markdown(client, kringen):
    page = _page(client, "winkel")
    assert "<mark>winkels</mark>" in page
    assert "**" not in page  # the context's Markdown emphasis is not shown as syntax


def test_a_word_one_or_two_letters_off_still_finds_the_document(client, kringen):
    for typo in ("winkle", "wnikels", "binnestadd"):  # transposition; two off
        page = _page(client, typo)
        assert "De winkels in de binnenstad" in _titles(page), typo
        assert "woorden die erop lijken" in page, typo


def test_typos_never_reach_into_other_communities(client, kringen):
    """The outsider's community has the word; a member elsewhere finds nothing of it."""
    page = _page(client, "kikkerpoelbeheeer")
    assert "kikkerpoelbeheer" not in page.lower()  # the word itself (the typed one is shown)
    assert "kikkerpoelen" not in page.lower()
    assert "woorden die erop lijken" not in page
    assert "0 resultaten" in page
    client.post("/logout")
    login(client, kringen["outsider"].email)  # its own member finds it, typo and all
    assert "Beheer van de kikkerpoelen" in _titles(_page(client, "kikkerpoelbeheeer"))


def test_an_exact_match_is_not_corrected(client, kringen):
    page = _page(client, "huurder")
    assert "woorden die erop lijken" not in page
    assert _titles(page) == ["Een winkel zoekt een huurder"]


def test_the_period_filter_reads_when_it_was_written(app, client, db, kringen):
    from community import search

    old = db.session.scalar(select(Case).where(Case.title == "Een winkel zoekt een huurder"))
    two_years_ago = utcnow() - timedelta(days=730)
    old.published_at = old.created_at = two_years_ago
    with app.test_request_context():
        search.index_case(old)
        db.session.commit()
    everything = _titles(_page(client, "winkel"))
    assert "Een winkel zoekt een huurder" in everything
    for period in ("week", "month", "year"):
        titles = _titles(_page(client, "winkel", period=period))
        assert titles == ["De winkels in de binnenstad"], (period, titles)
    assert "Een winkel zoekt een huurder" in _titles(_page(client, "winkel", period="nonsense"))


def test_sorting_by_relevance_puts_the_title_match_first(client, kringen):
    slug = kringen["mine"].slug
    _case(client, slug, "De markt van morgen", context="Over het plein.")  # the oldest
    _case(client, slug, "Een nieuwe casus", context="Ook hier gaat het even over de markt.")
    by_date = _titles(_page(client, "markt"))
    assert by_date[:2] == ["Een nieuwe casus", "De markt van morgen"]  # newest first
    by_relevance = _titles(_page(client, "markt", sort="relevance"))
    assert by_relevance[0] == "De markt van morgen"  # the word in the title weighs most
    assert set(by_relevance) == set(by_date)  # the same hits, in another order
    assert 'value="relevance" selected' in _page(client, "markt", sort="relevance")


def test_hits_of_one_case_come_together(client, db, kringen, make_user, make_membership):
    slug = kringen["mine"].slug
    case = db.session.scalar(select(Case).where(Case.title == "De winkels in de binnenstad"))
    colleague = make_user()  # the author does not ask questions on their own case
    make_membership(colleague, kringen["mine"])
    client.post("/logout")
    login(client, colleague.email)
    for body in ("Een vraag over de zonnepanelen", "Nog iets over zonnepanelen"):
        response = client.post(
            f"/c/{slug}/cases/{case.id}/contributions", data={"kind": "question", "body": body}
        )
        assert response.status_code == 302
    page = _page(client, "zonnepanelen")
    assert _titles(page) == ["De winkels in de binnenstad"]  # one card for the case
    assert page.count("/contributions/") == 2  # each contribution a link of its own
    assert "2 resultaten" in page


def test_the_header_has_a_search_field_for_members_only(client, kringen):
    home = client.get("/").get_data(as_text=True)
    header = home.split("</header>")[0]
    assert 'role="search"' in header
    assert 'name="q"' in header
    assert 'for="header-q"' in header  # labelled
    client.post("/logout")
    login_page = client.get("/login").get_data(as_text=True)
    assert 'id="header-q"' not in login_page
