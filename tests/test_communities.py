"""Creating, listing, showing, editing and archiving communities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.models import AuditEvent, Community, Membership
from community.models.base import utcnow
from tests.conftest import count_queries


def _form(**overrides: object) -> dict[str, object]:
    data = {
        "name": "Vitale binnensteden",
        "description": "Hoe houden we de **binnenstad** levendig? <script>alert(1)</script>",
        "theme": 0,
        "visibility": "closed",
        "method": "incident",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_community_and_becomes_moderator(client, db, logged_in, make_theme):
    theme = make_theme(name_nl="Vitale binnensteden")
    admin = logged_in(platform_role="admin")
    response = client.post("/communities/new", data=_form(theme=theme.id))
    assert response.headers["Location"] == "/c/vitale-binnensteden"
    community = db.session.scalar(select(Community))
    assert community.theme_id == theme.id
    assert community.visibility == "closed"
    assert "<strong>binnenstad</strong>" in community.description_html
    assert "<script" not in community.description_html
    membership = db.session.scalar(select(Membership))
    assert (membership.user_id, membership.role, membership.status) == (
        admin.id,
        "moderator",
        "active",
    )
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "community.created")
    )
    again = client.post("/communities/new", data=_form())
    assert again.headers["Location"] == "/c/vitale-binnensteden-2"


def test_members_cannot_create_communities(client, logged_in):
    logged_in()
    assert client.get("/communities/new").status_code == 403
    assert client.post("/communities/new", data=_form()).status_code == 403


def test_bad_community_input_is_refused(client, db, logged_in):
    logged_in(platform_role="admin")
    for bad, field in (
        (_form(name=""), "name"),
        (_form(name="x" * 121), "name"),
        (_form(description=""), "description"),
        (_form(visibility="public"), "visibility"),
        (_form(method="chaos"), "method"),
        (_form(theme=999999), "theme"),
    ):
        response = client.post("/communities/new", data=bad)
        assert response.status_code == 200, field
        assert f'href="#{field}"' in response.get_data(as_text=True), field
    assert db.session.scalar(select(Community)) is None


def test_directory_lists_closed_and_hides_secret_and_archived(
    client, logged_in, make_community, make_membership
):
    from community.models.base import utcnow

    make_community(name="Open Kring", visibility="closed")
    secret = make_community(name="Geheime Kring", visibility="secret")
    make_community(name="Oude Kring", archived_at=utcnow())
    user = logged_in()
    page = client.get("/communities").get_data(as_text=True)
    assert "Open Kring" in page
    assert "Geheime Kring" not in page
    assert "Oude Kring" not in page
    make_membership(user, secret)
    page = client.get("/communities").get_data(as_text=True)
    assert "Geheime Kring" in page


def test_directory_shows_counts_status_and_filters_by_theme(
    client, db, logged_in, make_community, make_membership, make_user, make_theme
):
    wonen = make_theme(slug="betaalbaar-wonen", name_nl="Betaalbaar wonen")
    a = make_community(name="Kring Wonen", theme_id=wonen.id)
    make_community(name="Kring Anders")
    user = logged_in()
    make_membership(make_user(), a)
    make_membership(make_user(), a)
    requested = make_membership(user, a, status="requested")
    page = client.get("/communities").get_data(as_text=True)
    # Closed means closed, counts included: a non-member sees no member count.
    assert "2 leden" not in page
    assert "aangevraagd" in page
    requested.status = "active"
    db.session.commit()
    assert "3 leden" in client.get("/communities").get_data(as_text=True)
    filtered = client.get("/communities?theme=betaalbaar-wonen").get_data(as_text=True)
    assert "Kring Wonen" in filtered
    assert "Kring Anders" not in filtered


def test_directory_and_members_page_queries_do_not_grow(
    app, client, logged_in, make_community, make_membership, make_user
):
    user = logged_in()
    community = make_community()
    make_membership(user, community, role="moderator")

    def measure() -> tuple[int, int]:
        with count_queries(app) as directory:
            assert client.get("/communities").status_code == 200
        with count_queries(app) as members:
            assert client.get(f"/c/{community.slug}/members").status_code == 200
        return len(directory), len(members)

    for _ in range(2):
        make_membership(make_user(), community)
        make_membership(make_user(), community, status="requested")
        make_community()
    small = measure()
    for _ in range(15):
        make_membership(make_user(), community)
        make_membership(make_user(), community, status="requested")
        make_community()
    assert measure() == small


def test_member_sees_home_non_member_sees_landing(
    client, logged_in, make_community, make_membership, make_user, make_organisation
):
    community = make_community(name="Kring", description="Openbare beschrijving")
    partner = make_organisation(name="Woonbron", kind="woningcorporatie")
    make_membership(make_user(organisation=partner), community)
    user = logged_in()
    landing = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Openbare beschrijving" in landing
    assert "Lidmaatschap aanvragen" in landing
    assert "Woonbron" not in landing
    make_membership(user, community)
    home = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Woonbron" in home
    assert "woningcorporatie" in home
    assert "Lidmaatschap aanvragen" not in home


def test_moderator_edits_settings_and_archives(
    client, db, logged_in, make_community, make_membership
):
    community = make_community(name="Kring")
    user = logged_in()
    make_membership(user, community, role="moderator")
    response = client.post(
        f"/c/{community.slug}/settings",
        data=_form(name="Kring Nieuw", visibility="secret", method="open", role="admin"),
    )
    assert response.status_code == 302
    db.session.refresh(community)
    assert (community.name, community.visibility, community.method) == (
        "Kring Nieuw",
        "secret",
        "open",
    )
    assert community.slug == "leergemeenschap-" + community.slug.split("-")[-1]  # slug is stable
    client.post(f"/c/{community.slug}/archive", data={"archived": "1"})
    db.session.refresh(community)
    assert community.archived_at is not None
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "gearchiveerd" in page
    assert "Kring Nieuw" not in client.get("/communities").get_data(as_text=True)
    assert client.get(f"/c/{community.slug}/invite").status_code == 403


def test_home_page_lists_my_communities(client, logged_in, make_community, make_membership):
    mine = make_community(name="Mijn Kring")
    make_community(name="Andere Kring")
    pending = make_community(name="Aangevraagde Kring")
    user = logged_in()
    make_membership(user, mine)
    make_membership(user, pending, status="requested")
    page = client.get("/").get_data(as_text=True)
    mine_section = page.split('id="my-communities"')[1]
    assert "Mijn Kring" in mine_section
    assert "Andere Kring" not in page
    assert "Aangevraagde Kring" not in mine_section  # not a member (yet) ...
    requests = page.split('data-section="requests"')[1].split("</section>")[0]
    assert "Aangevraagde Kring" in requests  # ... but the request is on the home page
    assert "je aanvraag wacht op een moderator" in requests


def test_expired_invitation_does_not_list_a_secret_community(
    client, logged_in, make_community, make_membership
):
    """Outside testing: the directory listed it while its page rightly answered 404."""
    secret = make_community(name="Geheime Uitnodiging", visibility="secret")
    user = logged_in()
    make_membership(
        user, secret, status="invited", invitation_expires_at=utcnow() - timedelta(hours=1)
    )
    assert client.get(f"/c/{secret.slug}").status_code == 404
    assert "Geheime Uitnodiging" not in client.get("/communities").get_data(as_text=True)


def test_open_invitation_lists_the_secret_community(
    client, logged_in, make_community, make_membership
):
    secret = make_community(name="Geheime Uitnodiging", visibility="secret")
    user = logged_in()
    make_membership(user, secret, status="invited")
    assert client.get(f"/c/{secret.slug}").status_code == 200
    assert "Geheime Uitnodiging" in client.get("/communities").get_data(as_text=True)


@pytest.mark.parametrize("second_factor", [False, True])
def test_secret_communities_are_listed_only_for_an_admin_with_two_step_verification(
    client, logged_in, make_community, second_factor
):
    secret = make_community(name="Geheime Kring Beheer", visibility="secret")
    logged_in(platform_role="admin", **({} if second_factor else {"totp_secret": None}))
    listed = "Geheime Kring Beheer" in client.get("/communities").get_data(as_text=True)
    assert listed is second_factor
    assert client.get(f"/c/{secret.slug}").status_code == (200 if second_factor else 404)
