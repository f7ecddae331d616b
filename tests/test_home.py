"""The member's home ("what needs you") and the public front door."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from community.models import CaseRead, Flag, Organisation, Rsvp
from community.models.base import utcnow
from tests.conftest import count_queries, login


def _section(page: str, name: str) -> str:
    assert f'data-section="{name}"' in page, name
    return page.split(f'data-section="{name}"')[1].split("</section>")[0]


def _ids(html: str, attribute: str) -> set[int]:
    return set(map(int, re.findall(rf'{attribute}="(\d+)"', html)))


def test_new_contributions_show_with_unread_count_and_a_link_to_the_first(
    client, db, make_user, make_community, make_membership, make_case, make_contribution
):
    kring = make_community()
    me, author, other = make_user(), make_user(), make_user()
    for user in (me, author, other):
        make_membership(user, kring)
    case = make_case(kring, author, phase="advice", title="Leegstand in de binnenstad")
    login(client, me.email)
    client.get(f"/c/{kring.slug}/cases/{case.id}")  # read: the marker is set
    assert db.session.scalar(select(CaseRead).where(CaseRead.user_id == me.id)) is not None
    assert "Leegstand in de binnenstad" not in _section(
        client.get("/").get_data(as_text=True), "new"
    )

    first = make_contribution(case, other, kind="advice")
    make_contribution(case, author, kind="comment")
    make_contribution(case, me, kind="advice")  # my own never counts as unread
    case.last_activity_at = utcnow()  # as posting does (cases.contributions)
    db.session.commit()
    new = _section(client.get("/").get_data(as_text=True), "new")
    assert "Leegstand in de binnenstad" in new
    assert 'data-unread="2"' in new
    assert "2 ongelezen reacties" in new
    link = f"/c/{kring.slug}/cases/{case.id}/contributions/{first.id}"
    assert f'href="{link}"' in new
    jump = client.get(link)
    assert jump.headers["Location"].endswith(f"#bijdrage-{first.id}")

    client.get(f"/c/{kring.slug}/cases/{case.id}")  # read again: nothing new
    assert "Leegstand" not in _section(client.get("/").get_data(as_text=True), "new")


def test_a_case_never_opened_is_new_and_one_from_before_joining_is_not(
    client, db, make_user, make_community, make_membership, make_case
):
    kring = make_community()
    me, author = make_user(), make_user()
    make_membership(author, kring)
    old = make_case(kring, author, title="Van voor mijn tijd")
    make_membership(me, kring)
    fresh = make_case(kring, author, title="Vers ingebracht")
    login(client, me.email)
    new = _section(client.get("/").get_data(as_text=True), "new")
    assert _ids(new, "data-new-case") == {fresh.id}
    assert "Nieuwe casus" in new
    assert old.id not in _ids(new, "data-new-case")


def test_nothing_from_communities_the_user_is_not_an_active_member_of(
    client,
    db,
    make_user,
    make_community,
    make_membership,
    make_case,
    make_contribution,
    make_meeting,
):
    mine, secret, left = (
        make_community(),
        make_community(visibility="secret", name="Geheime kring"),
        make_community(),
    )
    me, author = make_user(), make_user()
    make_membership(me, mine)
    leaving = make_membership(me, left)
    for community in (mine, secret, left):
        make_membership(author, community)
    visible = make_case(mine, author, title="Zichtbare casus")
    make_case(secret, author, title="Geheime casus")
    gone = make_case(left, author, title="Casus van een verlaten kring")
    make_contribution(gone, author)
    draft = make_case(mine, author, phase="draft", title="Concept van een ander")
    make_meeting(secret, title="Geheime bijeenkomst")
    make_meeting(left, title="Bijeenkomst van de verlaten kring")
    hidden = make_case(mine, author, title="Verborgen casus", hidden_at=utcnow())
    login(client, me.email)
    page = client.get("/").get_data(as_text=True)
    assert "Zichtbare casus" in page
    assert "Casus van een verlaten kring" in page
    leaving.status = "left"
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Zichtbare casus" in page
    for text in (
        "Geheime casus",
        "Geheime kring",
        "Geheime bijeenkomst",
        "Casus van een verlaten kring",
        "Bijeenkomst van de verlaten kring",
        draft.title,
        hidden.title,
    ):
        assert text not in page, text
    assert visible.id in _ids(page, "data-new-case")


def test_my_cases_that_wait_for_me(
    client, db, make_user, make_community, make_membership, make_case, make_contribution
):
    kring = make_community()
    me, member = make_user(), make_user()
    make_membership(me, kring)
    make_membership(member, kring)
    asked = make_case(kring, me, phase="questions", title="Mijn vraagverheldering")
    quiet = make_case(kring, me, phase="questions", title="Nog geen vragen")
    draft = make_case(kring, me, phase="draft", title="Mijn concept")
    question = make_contribution(asked, member, kind="question")
    make_contribution(asked, member, kind="comment")  # not a question
    login(client, me.email)
    waiting = _section(client.get("/").get_data(as_text=True), "waiting")
    assert _ids(waiting, "data-waiting") == {asked.id, draft.id}
    assert quiet.title not in waiting
    assert "1 nieuwe vraag over je casus" in waiting
    assert f"/contributions/{question.id}" in waiting
    assert f"/c/{kring.slug}/cases/{draft.id}/edit" in waiting
    # My own case in the questions phase is not also under "new".
    assert asked.id not in _ids(client.get("/").get_data(as_text=True), "data-new-case")


def test_upcoming_meetings_with_my_answer(
    client, db, make_user, make_community, make_membership, make_meeting
):
    kring = make_community()
    me = make_user()
    make_membership(me, kring)
    answered = make_meeting(kring, title="Werksessie Deventer")
    open_one = make_meeting(kring, title="Expertsessie wonen", starts_at=utcnow() + timedelta(2))
    make_meeting(kring, title="Al geweest", starts_at=utcnow() - timedelta(days=3))
    db.session.add(Rsvp(meeting_id=answered.id, user_id=me.id, response="yes"))
    db.session.commit()
    login(client, me.email)
    meetings = _section(client.get("/").get_data(as_text=True), "meetings")
    assert _ids(meetings, "data-meeting") == {answered.id, open_one.id}
    assert meetings.index("Expertsessie wonen") < meetings.index("Werksessie Deventer")
    assert "Ja, ik kom" in meetings
    assert "Je hebt nog niet laten weten of je komt." in meetings


def test_requests_and_invitations(client, db, make_user, make_community, make_membership):
    asked = make_community(name="Aangevraagd")
    invited = make_community(name="Geheim maar uitgenodigd", visibility="secret")
    expired = make_community(name="Verlopen uitnodiging", visibility="secret")
    declined = make_community(name="Afgewezen kring")
    me = make_user()
    make_membership(me, asked, status="requested")
    make_membership(me, invited, status="invited")
    make_membership(
        me, expired, status="invited", invitation_expires_at=utcnow() - timedelta(days=1)
    )
    make_membership(me, declined, status="declined", decided_at=utcnow())
    login(client, me.email)
    requests = _section(client.get("/").get_data(as_text=True), "requests")
    assert "Aangevraagd" in requests
    assert "wacht op een moderator" in requests
    assert "Geheim maar uitgenodigd" in requests
    assert "je bent uitgenodigd" in requests
    assert "Afgewezen kring" in requests
    assert "afgewezen" in requests
    assert "Verlopen uitnodiging" not in client.get("/").get_data(as_text=True)


def test_new_library_approaches_on_my_themes(
    client, db, make_user, make_community, make_membership, make_theme
):
    from community.models import Approach

    wonen, zorg = make_theme(), make_theme()
    kring = make_community(theme_id=wonen.id)
    elsewhere = make_community(theme_id=zorg.id)
    me = make_user()
    make_membership(me, kring)

    def approach(title, community, theme, **fields):
        db.session.add(
            Approach(title=title, community_id=community.id, theme_id=theme.id, **fields)
        )

    approved = {"scope": "library", "library_approved_at": utcnow()}
    approach("Op mijn thema", elsewhere, wonen, **approved)
    approach("Ander thema", elsewhere, zorg, **approved)
    approach("Niet in de bibliotheek", elsewhere, wonen)
    approach(
        "Oud nieuws",
        elsewhere,
        wonen,
        scope="library",
        library_approved_at=utcnow() - timedelta(days=365),
    )
    db.session.commit()
    login(client, me.email)
    library = _section(client.get("/").get_data(as_text=True), "library")
    assert "Op mijn thema" in library
    for title in ("Ander thema", "Niet in de bibliotheek", "Oud nieuws"):
        assert title not in library


def test_moderator_sees_the_count_of_pending_work(
    app, client, db, make_user, make_community, make_membership, make_case
):
    from community.moderation.services import pending_review_count

    kring, other = make_community(), make_community()
    moderator, member, asker = make_user(), make_user(), make_user()
    make_membership(moderator, kring, role="moderator")
    make_membership(member, kring)
    make_membership(asker, kring, status="requested")
    make_membership(make_user(), other, status="requested")  # not the moderator's
    case = make_case(kring, member)
    db.session.add(
        Flag(
            reporter_id=member.id,
            community_id=kring.id,
            target_type="case",
            target_id=case.id,
            reason="other",
        )
    )
    db.session.commit()
    assert pending_review_count(moderator) == 2
    assert pending_review_count(member) == 0
    login(client, moderator.email)
    page = client.get("/").get_data(as_text=True)
    assert "Er wachten 2 zaken op je beoordeling als moderator" in page
    assert 'href="/moderation"' in page
    other_client = app.test_client()
    login(other_client, member.email)
    assert "op je beoordeling" not in other_client.get("/").get_data(as_text=True)


def test_home_in_english(client, db, make_user, make_community, make_membership, make_case):
    kring = make_community()
    me, author = make_user(locale="en"), make_user()
    make_membership(me, kring)
    make_membership(author, kring)
    make_case(kring, author, title="Nieuwe casus hier")
    login(client, me.email)
    page = client.get("/").get_data(as_text=True)
    assert "Waiting for you" in page
    assert "New since your last visit" in page
    assert "New case" in page
    assert "Wacht op jou" not in page


def test_home_runs_the_same_number_of_queries_with_more_data(
    app,
    client,
    db,
    make_user,
    make_community,
    make_membership,
    make_case,
    make_contribution,
    make_meeting,
):
    me = make_user()
    author = make_user()
    communities = []

    def grow(n):
        for _ in range(n):
            kring = make_community()
            communities.append(kring)
            make_membership(me, kring, role="moderator")
            make_membership(author, kring)
            make_membership(make_user(), kring, status="requested")
            case = make_case(kring, author, phase="advice")
            make_contribution(case, author)
            make_case(kring, me, phase="draft")
            make_meeting(kring)

    grow(2)
    login(client, me.email)
    client.get("/")
    with count_queries(app) as few:
        client.get("/")
    grow(8)
    client.get("/")
    with count_queries(app) as many:
        page = client.get("/").get_data(as_text=True)
    assert len(few) == len(many) <= 12, (len(few), len(many))
    assert len(_ids(_section(page, "new"), "data-new-case")) == 5  # capped
    assert 'href="/notifications"' in _section(page, "new")  #
    assert "more"


# The front door -------------------------------------------------------------------


def test_front_door_for_visitors(
    client, db, make_user, make_community, make_membership, make_case, make_organisation
):
    make_organisation(name="Gemeente Zwolle", kind="gemeente")
    make_organisation(name="Woonstichting De Kern", kind="woningcorporatie")
    open_kring = make_community(name="Vitale binnensteden", description="Samen de binnenstad.")
    secret = make_community(name="Verkenning woondeals", visibility="secret")
    make_community(name="Gearchiveerde kring", archived_at=utcnow())
    member = make_user()
    make_membership(member, open_kring)
    make_membership(member, secret)
    make_case(open_kring, member, title="Besloten casustitel")
    make_case(secret, member, title="Geheime casustitel")
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Vitale binnensteden" in page
    assert "Samen de binnenstad." in page
    assert "Gemeente Zwolle" in _section_by(page, "data-cities")
    assert "Woonstichting De Kern" in _section_by(page, "data-partners")
    assert 'href="/login"' in page
    assert 'href="/register"' in page
    for text in (
        "Verkenning woondeals",
        "Gearchiveerde kring",
        "Besloten casustitel",
        "Geheime casustitel",
        member.name,
    ):
        assert text not in page, text
    assert "lid" not in re.sub(r"<[^>]+>", " ", _section_by(page, "data-front-door-community"))


def _section_by(page: str, attribute: str) -> str:
    return page.split(attribute)[1].split("</ul>")[0]


def test_front_door_in_english(client, db, make_community):
    make_community(name="Betaalbaar wonen")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Learning communities" in page
    assert "Betaalbaar wonen" in page
    assert "Zo werkt het" not in page


def test_front_door_queries_do_not_grow(app, client, db, make_community, make_organisation):
    make_community()
    with count_queries(app) as few:
        client.get("/")
    for _ in range(10):
        make_community()
        make_organisation()
    with count_queries(app) as many:
        client.get("/")
    assert len(few) == len(many) <= 4


def test_front_door_policy_agrees_with_its_scope(db, make_community):
    from community import policy
    from community.models import Community

    worlds = [
        make_community(visibility=visibility, archived_at=archived)
        for visibility in ("closed", "secret")
        for archived in (None, utcnow())
    ]
    listed = set(db.session.scalars(select(Community.id).where(policy.front_door_communities())))
    assert listed == {c.id for c in worlds if policy.can_list_on_front_door(c)}
    assert len(listed) == 1


def test_organisations_seeded_are_on_the_front_door(client, db):
    db.session.add(Organisation(name="Gemeente Venlo", slug="venlo", kind="gemeente"))
    db.session.commit()
    assert "Gemeente Venlo" in client.get("/").get_data(as_text=True)


def test_old_activity_is_not_news(
    client, db, make_user, make_community, make_membership, make_case
):
    kring = make_community()
    me, author = make_user(), make_user()
    make_membership(me, kring, created_at=utcnow() - timedelta(days=90))
    make_membership(author, kring)
    long_ago = utcnow() - timedelta(days=40)
    make_case(kring, author, title="Lang geleden", last_activity_at=long_ago)
    recent = make_case(kring, author, title="Net ingebracht")
    login(client, me.email)
    new = _section(client.get("/").get_data(as_text=True), "new")
    assert _ids(new, "data-new-case") == {recent.id}
