"""Regression tests for the review of moderation, 2FA, sessions and deletion."""

from __future__ import annotations

from sqlalchemy import select

from community.models import Contribution
from tests.conftest import PASSWORD, add_active_user, database, login, make_app


def test_ended_session_does_not_return_through_remember_me(app, client, db, make_user):
    user = make_user()
    laptop = app.test_client()
    login(laptop, user.email, remember="y")
    login(client, user.email)
    client.post("/account/sessions/end")  # all others
    laptop.delete_cookie("session")  # a restarted browser: only the remember cookie is left
    assert laptop.get("/account").status_code == 302


def test_staff_without_2fa_has_no_moderator_powers(database_config):
    app = make_app(database_config, REQUIRE_2FA_FOR_STAFF=True)
    with database(app):
        from community.extensions import db
        from community.markdown import render
        from community.models import Case, Community, Membership

        moderator = add_active_user("mod@x.example")
        author = add_active_user("auteur@x.example")
        community = Community(name="K", slug="k", description="", description_html="", summary="")
        db.session.add(community)
        db.session.flush()
        for user, role in ((moderator, "moderator"), (author, "member")):
            db.session.add(
                Membership(user_id=user.id, community_id=community.id, role=role, status="active")
            )
        case = Case(
            community_id=community.id,
            author_id=author.id,
            title="T",
            context="c",
            context_html=render("c"),
            question="q",
            question_html=render("q"),
            phase="questions",
        )
        db.session.add(case)
        db.session.commit()
        client = app.test_client()
        assert login(client, "mod@x.example").headers["Location"] == "/account/2fa"
        assert client.get(f"/c/k/cases/{case.id}/edit").status_code == 403
        assert (
            client.post(f"/c/k/cases/{case.id}/phase", data={"phase": "advice"}).status_code == 403
        )
        assert client.get("/c/k/members").status_code == 200  # still a member
        assert client.get("/c/k/invite").status_code == 403


def test_hidden_case_history_and_held_reflection(
    app, client, db, make_community, make_membership, make_user, make_case, make_contribution
):
    community = make_community(review_new_members=True)
    author, member, moderator = make_user(), make_user(), make_user()
    make_membership(author, community)
    make_membership(member, community)
    make_membership(moderator, community, role="moderator")
    case = make_case(community, author, phase="closed", title="Titel")
    make_contribution(
        case, author, kind="reflection", body="GEHOUDEN-REFLECTIE", pending_review=True
    )
    from community.models.base import utcnow

    case.hidden_at = utcnow()
    db.session.commit()
    login(client, member.email)
    assert client.get(f"/c/{community.slug}/cases/{case.id}/history").status_code == 404
    case.hidden_at = None
    db.session.commit()
    assert "GEHOUDEN-REFLECTIE" not in client.get(f"/c/{community.slug}/cases/{case.id}").get_data(
        as_text=True
    )


def test_deleting_own_contributions_keeps_others_replies(
    client, db, make_community, make_membership, make_user, make_case, make_contribution
):
    community = make_community()
    person, other = make_user(), make_user()
    make_membership(person, community)
    make_membership(other, community)
    case = make_case(community, other, phase="questions")
    question = make_contribution(case, person, kind="question")
    person_id = person.id
    reply_id = make_contribution(case, other, kind="answer", parent_id=question.id).id
    login(client, person.email)
    client.post("/account/delete", data={"password": PASSWORD, "contributions": "delete"})
    db.session.expunge_all()
    reply = db.session.get(Contribution, reply_id)
    assert reply is not None
    assert reply.parent_id is None
    assert (
        db.session.scalar(select(Contribution).where(Contribution.author_id == person_id)) is None
    )


def test_an_admin_cannot_delete_their_own_account(client, db, logged_in):
    admin = logged_in(platform_role="admin")
    response = client.post("/account/delete", data={"password": PASSWORD, "contributions": "keep"})
    assert response.status_code == 200
    from community.models import User

    assert db.session.get(User, admin.id).status == "active"
