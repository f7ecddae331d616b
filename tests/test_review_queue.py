"""The review queue at /moderation: every section, scoped to the moderator's communities
(and the platform for administrators), actionable in place; the header's count; the
notifications moderators get; the moderator's message to an applicant."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community import policy
from community.extensions import db as _db
from community.models import Approach, Flag, Membership, Notification, User
from community.models.base import utcnow
from tests.conftest import count_queries, login
from tests.test_policy_scopes import _disagreements, _fresh, world  # noqa: F401


def _approach(community, author, title, summary="Samenvatting"):
    approach = Approach(
        community_id=community.id,
        author_id=author.id,
        title=title,
        summary=summary,
        library_requested_at=utcnow(),
    )
    _db.session.add(approach)
    _db.session.commit()
    return approach


def _flag(reporter, community, target_type, target_id, reason="offensive", details=""):
    item = Flag(
        reporter_id=reporter.id,
        community_id=community.id,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details,
    )
    _db.session.add(item)
    _db.session.commit()
    return item


@pytest.fixture
def queue_world(make_user, make_community, make_membership, make_case, make_contribution):
    """Community A (moderated by Mo) and B (another moderator), each with one item in
    every section; one account waiting for the administrator."""
    mo = make_user(name="Mo Moderator")
    worlds = {}
    for key in ("A", "B"):
        community = make_community(name=f"Kring {key}")
        moderator = mo if key == "A" else make_user(name="Bo Moderator")
        make_membership(moderator, community, role="moderator")
        member = make_user(name=f"Lid {key}")
        make_membership(member, community)
        applicant = make_user(name=f"Aanvrager {key}")
        request = make_membership(
            applicant, community, status="requested", motivation=f"Motivatie {key}"
        )
        case = make_case(community, member, title=f"Casus {key}", context=f"Context {key}")
        contribution = make_contribution(case, member, body=f"Ongepaste tekst {key}")
        held = make_contribution(case, member, body=f"Wachtende bijdrage {key}")
        held.pending_review = True
        approach = _approach(community, member, f"Aanpak {key}", f"Samenvatting {key}")
        reporter = make_user(name=f"Melder {key}")
        make_membership(reporter, community)
        flag = _flag(reporter, community, "contribution", contribution.id, details="Grof")
        _db.session.commit()
        worlds[key] = {
            "community": community,
            "moderator": moderator,
            "member": member,
            "applicant": applicant,
            "request": request,
            "case": case,
            "contribution": contribution,
            "held": held,
            "approach": approach,
            "flag": flag,
        }
    worlds["pending"] = make_user(name="Nieuw Account", status="pending")
    worlds["admin"] = make_user(name="Ada Beheerder", platform_role="admin")
    return worlds


def test_the_queue_shows_every_section_of_the_moderators_own_communities(client, queue_world):
    w = queue_world
    login(client, w["A"]["moderator"].email)
    page = client.get("/moderation").get_data(as_text=True)
    for heading in (
        "Aanvragen voor lidmaatschap (1)",
        "Aanpakken voor de bibliotheek (1)",
        "Gerapporteerde inhoud (1)",
        "Bijdragen van nieuwe leden (1)",
    ):
        assert heading in page
    assert "Accounts die wachten" not in page  # not an administrator
    assert "Te beoordelen (4)" in page  # the header counts the same
    # What was reported, why, by whom and the reporter's note.
    assert "Ongepaste tekst A" in page
    assert "Kwetsend of ongepast" in page
    assert "Gerapporteerd door Melder A" in page
    assert "Grof" in page
    assert "Aanvrager A" in page
    assert "Motivatie A" in page
    assert "Samenvatting A" in page
    assert "Wachtende bijdrage A" in page
    # Nothing of community B, not even its name.
    for text in ("Kring B", "Aanvrager B", "Ongepaste tekst B", "Aanpak B", "Wachtende bijdrage B"):
        assert text not in page
    # Every action returns to the queue.
    assert page.count('name="next" value="/moderation"') >= 6


def test_another_moderator_and_a_member_see_none_of_it(client, queue_world, make_user):
    w = queue_world
    login(client, w["B"]["moderator"].email)
    page = client.get("/moderation").get_data(as_text=True)
    assert "Ongepaste tekst B" in page
    assert "Ongepaste tekst A" not in page
    assert "Kring A" not in page
    flags_page = client.get("/moderation?section=flags").get_data(as_text=True)
    assert flags_page.count("Gerapporteerd door") == 1
    client.post("/logout")
    login(client, w["A"]["member"].email)
    page = client.get("/moderation").get_data(as_text=True)
    assert "Te beoordelen (" not in page  # no link in the header for a member
    assert "Ongepaste tekst" not in page
    assert "Aanvrager" not in page
    assert "Je begeleidt geen leergemeenschap" in page
    assert client.get("/moderation?section=requests").status_code == 404


def test_actions_in_place_return_to_the_queue(client, queue_world, outbox):
    w = queue_world["A"]
    login(client, w["moderator"].email)
    response = client.post(
        f"/c/{w['community'].slug}/requests/{w['request'].id}/approve",
        data={"message": "Welkom, fijn dat je er bent!", "next": "/moderation"},
    )
    assert response.headers["Location"] == "/moderation"
    assert _db.session.get(Membership, w["request"].id).status == "active"
    response = client.post(
        f"/approaches/{w['approach'].id}/share/approve", data={"next": "/moderation"}
    )
    assert response.headers["Location"] == "/moderation"
    assert _db.session.get(Approach, w["approach"].id).scope == "library"
    response = client.post(
        f"/moderation/flags/{w['flag'].id}/resolve",
        data={"status": "handled", "resolution": "Verborgen", "next": "/moderation"},
    )
    assert response.headers["Location"] == "/moderation"
    response = client.post(
        f"/moderation/contribution/{w['held'].id}/approve",
        data={"next": "/moderation?section=held"},
    )
    assert response.headers["Location"] == "/moderation?section=held"
    page = client.get("/moderation").get_data(as_text=True)
    assert "Te beoordelen (0)" in page
    assert page.count("Hier wacht niets.") == 4
    # The applicant's mail carries the moderator's message.
    mail = next(m for m in outbox if m["To"] == w["applicant"].email)
    body = mail.get_content()
    assert "goedgekeurd" in body
    assert "Welkom, fijn dat je er bent!" in body
    # A `next` off the site is not followed.
    response = client.post(
        f"/moderation/contribution/{queue_world['A']['contribution'].id}/hide",
        data={"reason": "x", "next": "https://example.org/"},
    )
    assert response.headers["Location"] == "/"


def test_a_declined_applicant_reads_the_message_and_a_too_long_one_changes_nothing(
    client, queue_world, outbox
):
    w = queue_world["A"]
    login(client, w["moderator"].email)
    url = f"/c/{w['community'].slug}/requests/{w['request'].id}/decline"
    response = client.post(url, data={"message": "x" * 1001, "next": "/moderation"})
    # The queue again, the text kept, the error beside the field and in the summary.
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    field = f"decline-message-{w['request'].id}"
    assert f'href="#{field}">Bericht aan de aanvrager: Het bericht mag hoogstens 1000' in page
    assert f'id="{field}-error"' in page
    assert 'aria-invalid="true"' in page
    assert ">" + "x" * 1001 + "</textarea>" in page
    assert "Gerapporteerde inhoud (1)" in page  # the rest of the queue is there too
    assert _db.session.get(Membership, w["request"].id).status == "requested"
    # From the members page the refusal is flashed there, as before.
    response = client.post(url, data={"message": "x" * 1001}, follow_redirects=True)
    assert "hoogstens 1000 tekens" in response.get_data(as_text=True)
    assert _db.session.get(Membership, w["request"].id).status == "requested"
    client.post(url, data={"message": "Deze kring is voor gemeenten.", "next": "/moderation"})
    assert _db.session.get(Membership, w["request"].id).status == "declined"
    notification = _db.session.scalar(
        select(Notification).where(Notification.recipient_id == w["applicant"].id)
    )
    assert notification.kind == "request_declined"
    body = next(m for m in outbox if m["To"] == w["applicant"].email).get_content()
    assert "afgewezen" in body
    assert "Bericht van de moderator:\nDeze kring is voor gemeenten." in body


def test_an_approval_without_a_message_has_no_message_paragraph(client, queue_world, outbox):
    w = queue_world["A"]
    login(client, w["moderator"].email)
    client.post(f"/c/{w['community'].slug}/requests/{w['request'].id}/approve", data={})
    body = next(m for m in outbox if m["To"] == w["applicant"].email).get_content()
    assert "Bericht van de moderator" not in body
    assert "goedgekeurd" in body


def test_administrators_see_the_accounts_waiting_and_act_in_place(client, queue_world):
    w = queue_world
    login(client, w["admin"].email)
    page = client.get("/moderation").get_data(as_text=True)
    assert "Accounts die wachten op goedkeuring (1)" in page
    assert "Nieuw Account" in page
    assert "Te beoordelen (1)" in page
    # An administrator moderates no community here: none of their content or requests.
    assert "Ongepaste tekst" not in page
    assert "Aanvrager" not in page
    response = client.post(
        f"/admin/accounts/{w['pending'].id}/approve", data={"next": "/moderation"}
    )
    assert response.headers["Location"] == "/moderation"
    assert _db.session.get(User, w["pending"].id).status == "active"
    assert "Te beoordelen (0)" in client.get("/moderation").get_data(as_text=True)


def test_a_moderator_without_two_step_verification_is_told_so(
    client, make_user, make_community, make_membership
):
    community = make_community(name="Kring Zonder")
    moderator = make_user(name="Zo Zonder")
    make_membership(moderator, community, role="moderator", second_factor=False)
    login(client, moderator.email)
    page = client.get("/moderation").get_data(as_text=True)
    assert "nog geen tweestapsverificatie" in page
    assert 'href="/account/2fa"' in page
    assert "Je begeleidt geen leergemeenschap" not in page


def test_the_english_queue(client, queue_world):
    w = queue_world["A"]
    w["moderator"].locale = "en"
    _db.session.commit()
    login(client, w["moderator"].email)
    page = client.get("/moderation").get_data(as_text=True)
    for text in (
        "To review (4)",
        "Membership requests (1)",
        "Approaches for the library (1)",
        "Reports from members (1)",
        "Contributions by new members (1)",
        "Reported by Melder A",
    ):
        assert text in page, text
    assert "Te beoordelen" not in page


def test_the_header_count_is_one_query_and_none_for_a_member(app, queue_world):
    from community.moderation.services import pending_review_count

    w = queue_world
    with app.test_request_context():
        member = _fresh(_db.session.get(User, w["A"]["member"].id))
        member.memberships_by_community()
        with count_queries(app) as statements:
            assert pending_review_count(member) == 0
        assert statements == []
    with app.test_request_context():
        moderator = _fresh(_db.session.get(User, w["A"]["moderator"].id))
        moderator.memberships_by_community()
        with count_queries(app) as statements:
            assert pending_review_count(moderator) == 4
            assert pending_review_count(moderator) == 4  # the page and its header agree
        assert len(statements) == 1


def test_queue_scopes_agree_with_their_predicates(world):  # noqa: F811
    from community.models import Contribution

    memberships = list(_db.session.scalars(select(Membership)))
    for user in world.users:
        _fresh(user)
    assert not _disagreements(
        world, Membership, memberships, policy.in_review_queue_request, policy.review_requests
    )
    assert not _disagreements(
        world, Approach, world.approaches, policy.in_review_queue_library, policy.review_library
    )
    contributions = list(_db.session.scalars(select(Contribution)))
    assert not _disagreements(
        world,
        Contribution,
        contributions,
        policy.in_review_queue_contribution,
        policy.review_contributions,
    )
    accounts = list(_db.session.scalars(select(User)))
    assert not _disagreements(
        world, User, accounts, policy.in_review_queue_account, policy.review_accounts
    )
    flags = [
        Flag(
            reporter_id=world.users[0].id,
            community_id=community.id,
            target_type="case",
            target_id=2 * index + offset,
            reason="other",
            status=status,
        )
        for index, community in enumerate(world.communities)
        for offset, status in ((1, "open"), (2, "handled"))
    ]
    _db.session.add_all(flags)
    _db.session.flush()
    assert not _disagreements(world, Flag, flags, policy.in_review_queue_flag, policy.review_flags)


def test_moderators_hear_of_a_flag_without_what_was_reported(client, queue_world, outbox):
    w = queue_world["A"]
    login(client, w["member"].email)
    client.post(
        "/flags",
        data={"target": f"case:{w['case'].id}", "reason": "confidential", "details": "Geheim"},
    )
    notes = list(
        _db.session.scalars(select(Notification).where(Notification.kind == "flag_reported"))
    )
    assert [n.recipient_id for n in notes] == [w["moderator"].id]  # not B's, not the members
    mails = [m for m in outbox if "rapportage" in m["Subject"]]
    assert [m["To"] for m in mails] == [w["moderator"].email]
    body = mails[0].get_content()
    assert "Kring A" in body
    assert "Vertrouwelijk" in body
    assert "/moderation?section=flags" in body
    for secret in ("Casus A", "Context A", "Geheim"):  # neither the content nor the note
        assert secret not in body
        assert secret not in mails[0]["Subject"]
    client.post("/logout")
    login(client, w["moderator"].email)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Er is een nieuwe rapportage in Kring A" in page
    assert "Casus A" not in page


def test_a_former_moderator_no_longer_sees_the_flag_notification(client, queue_world):
    w = queue_world["A"]
    login(client, w["member"].email)
    client.post("/flags", data={"target": f"case:{w['case'].id}", "reason": "other"})
    client.post("/logout")
    membership = _db.session.scalar(
        select(Membership).where(
            Membership.user_id == w["moderator"].id,
            Membership.community_id == w["community"].id,
        )
    )
    membership.role = "member"
    _db.session.commit()
    login(client, w["moderator"].email)
    assert "nieuwe rapportage" not in client.get("/notifications").get_data(as_text=True)
    assert "Te beoordelen (" not in client.get("/").get_data(as_text=True)


def test_moderators_hear_of_a_join_request(client, queue_world, make_user, outbox):
    w = queue_world["A"]
    newcomer = make_user(name="Nina Nieuw")
    login(client, newcomer.email)
    client.post(f"/c/{w['community'].slug}/join", data={"motivation": "Ik wil leren."})
    notes = list(
        _db.session.scalars(select(Notification).where(Notification.kind == "join_requested"))
    )
    assert [n.recipient_id for n in notes] == [w["moderator"].id]
    assert any(m["To"] == w["moderator"].email for m in outbox)
