"""Search: only what the user may read, escaped snippets, odd queries, both backends."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from community.models import Approach
from community.models.base import utcnow
from tests.conftest import login
from tests.search_paths import pytest_generate_tests, search_index  # noqa: F401

# Every test on each full-text path: FTS5 (SQLite), RUM and GIN (PostgreSQL).
pytestmark = pytest.mark.usefixtures("search_index")

WORD = "zonnebloemveld"


@pytest.fixture
def world(app, client, db, tmp_path, make_community, make_membership, make_user):
    """A closed community where the unique word appears in every kind of content."""
    app.config["UPLOAD_DIR"] = str(tmp_path)
    community = make_community(name="Kring Zoeken", visibility="closed")
    moderator, member = make_user(), make_user()
    make_membership(moderator, community, role="moderator")
    make_membership(member, community)
    login(client, member.email)
    slug = community.slug
    client.post(
        f"/c/{slug}/cases/new",
        data={
            "title": f"Casus over {WORD}",
            "theme": 0,
            "context": "Context",
            "question": "Vraag?",
            "action": "publish",
        },
    )
    client.post(
        f"/c/{slug}/cases/new",
        data={
            "title": "Tweede casus",
            "theme": 0,
            "context": "c",
            "question": "q",
            "action": "publish",
            "attachment": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), f"bijlage-{WORD}-lijst.pdf"),
        },
        content_type="multipart/form-data",
    )
    client.post(
        f"/c/{slug}/cases/new",
        data={
            "title": "Derde casus",
            "theme": 0,
            "context": "c",
            "question": "q",
            "action": "publish",
        },
    )
    from community.models import Case

    third = db.session.scalar(select(Case).where(Case.title == "Derde casus"))
    client.post(
        f"/c/{slug}/cases/{third.id}/contributions",
        data={"kind": "comment", "body": f"Een reactie met {WORD} erin"},
    )
    client.post(
        f"/c/{slug}/approaches/new",
        data={
            "title": "Aanpak",
            "summary": f"Over {WORD}",
            "problem": "p",
            "steps": "s",
            "theme": 0,
        },
    )
    client.post("/logout")
    login(client, moderator.email)
    client.post(
        f"/c/{slug}/meetings/new",
        data={
            "title": f"Bijeenkomst {WORD}",
            "kind": "meeting",
            "starts_at": "2099-01-01T10:00",
            "ends_at": "2099-01-01T12:00",
        },
    )
    client.post("/logout")
    return {"community": community, "member": member, "moderator": moderator}


def _count(client, q: str = WORD, **args) -> int:
    import re

    page = client.get("/search", query_string={"q": q, **args}).get_data(as_text=True)
    match = re.search(r"(\d+) resulta", page)
    return int(match.group(1)) if match else -1


def test_member_finds_every_kind(client, world):
    login(client, world["member"].email)
    assert _count(client) == 5
    for kind in ("case", "contribution", "approach", "meeting"):
        assert _count(client, type=kind) >= 1, kind
    page = client.get("/search", query_string={"q": WORD}).get_data(as_text=True)
    assert f"<mark>{WORD}</mark>" in page


@pytest.mark.parametrize("status", [None, "requested", "invited", "removed", "left"])
def test_outsiders_find_nothing(client, world, make_user, make_membership, status):
    outsider = make_user()
    if status:
        make_membership(outsider, world["community"], status=status)
    login(client, outsider.email)
    page = client.get("/search", query_string={"q": WORD}).get_data(as_text=True)
    assert "0 resultaten" in page
    echoed = page.replace(f'value="{WORD}"', "").replace(f"/search?q={WORD}", "")
    assert WORD not in echoed  # only the query itself is echoed back


def test_removal_takes_effect_on_the_next_search(app, client, db, world):
    login(client, world["member"].email)
    assert _count(client) == 5
    moderator = app.test_client()
    login(moderator, world["moderator"].email)
    moderator.post(f"/c/{world['community'].slug}/members/{world['member'].id}/remove")
    assert _count(client) == 0


def test_library_approach_is_found_by_everyone_active(client, db, world, make_user):
    approach = db.session.scalar(select(Approach))
    approach.scope, approach.library_requested_at, approach.library_approved_at = (
        "library",
        utcnow(),
        utcnow(),
    )
    db.session.commit()
    from community import search

    with client.application.test_request_context():
        search.index_approach(approach)
        db.session.commit()
    login(client, make_user().email)
    assert _count(client) == 1
    assert _count(client, type="approach") == 1


def test_snippets_cannot_inject_html(client, db, make_community, make_membership, make_user):
    community = make_community()
    member = make_user()
    make_membership(member, community)
    login(client, member.email)
    body = f'<img src=x onerror=alert(1)> <script>alert(2)</script> {WORD} "><b>vet</b>'
    client.post(
        f"/c/{community.slug}/cases/new",
        data={"title": "XSS", "theme": 0, "context": body, "question": "q", "action": "publish"},
    )
    page = client.get("/search", query_string={"q": WORD}).get_data(as_text=True)
    assert "<script>alert(2)" not in page
    assert "<img src=x" not in page
    assert "<b>vet</b>" not in page
    assert "&lt;" in page
    assert f"<mark>{WORD}</mark>" in page


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'; drop table cases; --",
        "NOT AND OR",
        "(((",
        "*",
        "a" * 10000,
        "🏠🏡",
        "",
        "   ",
        "title:x",
        "near(a b)",
        "-x",
        "\\",
        "%_%",
    ],
)
def test_odd_queries_never_fail(client, world, query):
    login(client, world["member"].email)
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_filters_narrow_within_the_index(client, db, world, make_community, make_membership):
    other = make_community(name="Andere kring")
    make_membership(world["member"], other)
    login(client, world["member"].email)
    client.post(
        f"/c/{other.slug}/cases/new",
        data={"title": f"Elders {WORD}", "theme": 0, "context": "c", "question": "q",
              "action": "publish"},
    )  # fmt: skip
    assert _count(client) == 6
    assert _count(client, type="case") == 3  # two titles and an attachment name
    assert _count(client, community=world["community"].id) == 5
    assert _count(client, community=other.id) == 1
    assert _count(client, community=other.id, type="meeting") == 0


def test_stop_words_alone_find_nothing(client, world):
    login(client, world["member"].email)
    assert _count(client, q="de het een") == 0


def test_counting_stops_at_a_bound(client, monkeypatch, world):
    from community.search import querying

    monkeypatch.setattr(querying, "MAX_COUNTED", 3)
    login(client, world["member"].email)
    page = client.get("/search", query_string={"q": WORD, "page": 7}).get_data(as_text=True)
    assert "Meer dan 3 resultaten" in page
    # Only the counted hits, and only as many pages as they fill: page 7 becomes page 1.
    assert page.count('class="card"') == 3
    assert 'rel="next"' not in page


def test_a_moved_case_takes_its_contributions_along_in_the_index(app, db, world, make_community):
    from community import search
    from community.models import Case, SearchDocument

    case = db.session.scalar(select(Case).where(Case.title == "Derde casus"))
    target = make_community(name="Nieuwe kring")
    case.community_id = target.id
    with app.test_request_context():
        search.index_case(case)
        db.session.commit()
    tags = set(
        db.session.scalars(select(SearchDocument.tags).where(SearchDocument.case_id == case.id))
    )
    month = search.indexing.month_tag(utcnow())  # written in this test: this month
    assert tags == {f"c{target.id} kcase {month}", f"c{target.id} kcontribution {month}"}


def test_similar_cases_come_from_what_the_user_may_read(
    app, db, make_community, make_membership, make_user, make_case, make_theme
):
    from community import search
    from community.models import User

    theme = make_theme()
    mine, theirs = make_community(name="Mijn kring"), make_community(name="Andere kring")
    user, stranger = make_user(), make_user()
    make_membership(user, mine)
    make_membership(stranger, theirs)
    current = make_case(mine, user, title="Leegstand in de binnenstad")
    by_word = make_case(mine, user, title="Aanpak leegstand winkelstraat")
    by_theme = make_case(mine, user, title="Iets heel anders", theme_id=theme.id)
    unrelated = make_case(mine, user, title="Over jeugdzorg")
    hidden_away = make_case(theirs, stranger, title="Leegstand elders")
    with app.test_request_context():
        for case in (current, by_word, by_theme, unrelated, hidden_away):
            search.index_case(case)
        db.session.commit()
        found = search.similar(
            db.session.get(User, user.id), current.title, theme.id, exclude_case=current.id
        )
        titles = {d.title for d in found}
        assert titles == {by_word.title, by_theme.title}
        assert search.similar(db.session.get(User, user.id), "de het", None, None) == []


def test_tags_cannot_be_forged_in_text(
    app, client, db, make_community, make_membership, make_user, make_case
):
    """Writing a community's tag into a text does not put it in that community's scope."""
    from community import search

    mine, theirs = make_community(name="Mijn kring"), make_community(name="Hun kring")
    member, outsider = make_user(), make_user()
    make_membership(member, mine)
    make_membership(outsider, theirs)
    forged = f"c{mine.id} tag c{mine.id} library kcase 'tag c{mine.id}' kwetsbaarheidstoets"
    case = make_case(theirs, outsider, title="Vervalst", context=forged, phase="questions")
    with app.test_request_context():
        search.index_case(case)
        db.session.commit()
    login(client, member.email)
    for q in ("kwetsbaarheidstoets", f"c{mine.id}", "library", f"tag c{mine.id}"):
        assert _count(client, q=q) == 0, q
