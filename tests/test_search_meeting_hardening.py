"""Regression tests for the review of meetings, search and digests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.models import Approach, Notification, Rsvp
from community.models.base import utcnow
from tests.conftest import login
from tests.search_paths import pytest_generate_tests, search_index  # noqa: F401


@pytest.mark.usefixtures("search_index")  # on each full-text path
def test_library_hit_hides_the_name_of_a_secret_community(
    app, client, db, make_community, make_membership, make_user
):
    from community import search

    secret = make_community(name="Geheime Kring Ondermijning", visibility="secret")
    author = make_user()
    make_membership(author, secret)
    approach = Approach(
        community_id=secret.id,
        author_id=author.id,
        title="Aanpak ondermijning",
        summary="Over drugslabs in schuren",
        scope="library",
        library_requested_at=utcnow(),
        library_approved_at=utcnow(),
    )
    db.session.add(approach)
    db.session.commit()
    with app.test_request_context():
        search.index_approach(db.session.get(Approach, approach.id))
        db.session.commit()
    login(client, make_user().email)
    page = client.get("/search", query_string={"q": "drugslabs"}).get_data(as_text=True)
    assert "Aanpak ondermijning" in page
    assert "Geheime Kring" not in page
    page = client.get("/search", query_string={"q": "drugslabs", "community": secret.id})
    assert "Geheime Kring" not in page.get_data(as_text=True)
    assert client.get("/search?q=x&community=99999999999999999999999").status_code == 200


@pytest.mark.usefixtures("search_index")  # on each full-text path
def test_renaming_a_case_renames_its_contributions_in_search(
    client, db, make_community, make_membership, make_user, make_case
):
    community = make_community()
    author, member = make_user(), make_user()
    make_membership(author, community)
    make_membership(member, community)
    case = make_case(community, author, title="Jan Jansen uit de Zaanstraat", phase="questions")
    login(client, member.email)
    client.post(
        f"/c/{community.slug}/cases/{case.id}/contributions",
        data={"kind": "question", "body": "Een vraag"},
    )
    client.post("/logout")
    login(client, author.email)
    client.post(
        f"/c/{community.slug}/cases/{case.id}/edit",
        data={
            "title": "Geanonimiseerde casus",
            "theme": 0,
            "context": "c",
            "question": "q",
            "version": 1,
        },
    )
    page = client.get("/search", query_string={"q": "vraag"}).get_data(as_text=True)
    assert "Geanonimiseerde casus" in page
    assert "Jansen" not in page


def test_removed_member_gives_up_their_seat(
    app, client, db, make_community, make_membership, make_user, make_meeting
):
    community = make_community()
    moderator, first, second = make_user(), make_user(), make_user()
    make_membership(moderator, community, role="moderator")
    make_membership(first, community)
    make_membership(second, community)
    meeting = make_meeting(community, capacity=1)
    for person in (first, second):
        c = app.test_client()
        login(c, person.email)
        c.post(f"/c/{community.slug}/meetings/{meeting.id}/rsvp", data={"response": "yes"})
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/members/{first.id}/remove")
    page = client.get(f"/c/{community.slug}/meetings/{meeting.id}").get_data(as_text=True)
    assert "1 ja, 0 misschien, 0 nee" in page
    assert "op de wachtlijst" not in page
    waiting = db.session.scalar(select(Rsvp).where(Rsvp.user_id == second.id))
    assert waiting.waitlisted is False
    assert (
        "meeting_place_free"
        in db.session.scalars(
            select(Notification.kind).where(Notification.recipient_id == second.id)
        ).all()
    )


def test_nul_bytes_and_odd_times_are_refused(
    client, db, make_community, make_membership, make_user
):
    community = make_community()
    moderator = make_user()
    make_membership(moderator, community, role="moderator")
    assert client.get("/calendar/" + "a" * 40 + "%00.ics").status_code in {400, 404}
    login(client, moderator.email)
    assert client.get("/search?q=x&theme=a%00b").status_code == 400
    for starts in ("0001-01-01T00:00", "2026-03-29T02:30"):
        response = client.post(
            f"/c/{community.slug}/meetings/new",
            data={
                "title": "T",
                "kind": "meeting",
                "starts_at": starts,
                "ends_at": "2026-03-29T05:00",
                "host": 0,
            },
        )
        assert response.status_code == 200
        assert 'id="starts_at-error"' in response.get_data(as_text=True)


def test_switching_to_a_digest_does_not_flood(
    client, db, make_community, make_membership, make_user
):
    from community.notifications.services import notify

    community = make_community()
    user = make_user()
    make_membership(user, community)
    with client.application.test_request_context():
        notify(
            user, "case_published", community=community, case_id=1, case_title="Oud", email=False
        )
        db.session.commit()
    login(client, user.email)
    client.post(
        "/account",
        data={"name": "X", "job_title": "", "bio": "", "locale": "nl", "email_mode": "daily"},
    )
    note = db.session.scalar(select(Notification))
    assert note.digested_at is not None
