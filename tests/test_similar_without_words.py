"""Similar cases for a title without search words but with a theme (the new-case page).

On PostgreSQL an empty title made `to_tsquery('dutch', "''")`, a syntax error: the
new-case page of a community with a theme answered 500.
"""

from __future__ import annotations

from community.search.indexing import index_case
from tests.conftest import login


def test_new_case_page_of_a_community_with_a_theme(
    client, db, make_community, make_membership, make_user, make_theme, make_case
):
    theme = make_theme()
    community = make_community(theme_id=theme.id)
    member = make_user()
    make_membership(member, community)
    earlier = make_case(community, member, title="Leegstand in de havens", theme_id=theme.id)
    index_case(earlier)
    db.session.commit()
    login(client, member.email)

    page = client.get(f"/c/{community.slug}/cases/new")
    assert page.status_code == 200
    # A title of short words only: no search words, so the theme alone finds the earlier case.
    again = client.post(
        f"/c/{community.slug}/cases/new", data={"title": "a b", "theme": theme.id, "context": ""}
    )
    assert again.status_code == 200
    assert earlier.title in again.get_data(as_text=True)
