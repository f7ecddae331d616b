"""Approaches: from a case, versions, library sharing, adoptions, follow-ups, and access."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.models import (
    Adoption,
    Approach,
    ApproachSource,
    ApproachVersion,
    Attachment,
    Notification,
)
from community.models.base import utcnow
from tests.conftest import count_queries, login


@pytest.fixture
def kring(
    make_community, make_membership, make_user, make_organisation, make_case, make_contribution
):
    community = make_community(name="Vitale binnensteden")
    venlo = make_organisation(name="Venlo", slug="venlo-a", domains=["venlo.a"])
    tilburg = make_organisation(name="Tilburg", slug="tilburg-a", domains=["tilburg.a"])
    author = make_user(name="Sanne", organisation=venlo)
    member = make_user(name="Lid")
    moderator = make_user(name="Mo")
    outsider = make_user(name="Buitenstaander", organisation=tilburg)
    make_membership(author, community)
    make_membership(member, community)
    make_membership(moderator, community, role="moderator")
    case = make_case(
        community,
        author,
        phase="closed",
        title="Lege panden",
        context="Een derde staat leeg.",
        question="Hoe eigenaren bereiken?",
    )
    valuable = make_contribution(
        case,
        member,
        kind="advice",
        phase="advice",
        valuable=True,
        body="Organiseer een eigenarenavond",
    )
    make_contribution(case, member, kind="comment", phase="advice", body="Gewone reactie")
    make_contribution(case, author, kind="reflection", phase="reflection", body="Ik doe de avond.")
    return {
        "community": community,
        "author": author,
        "member": member,
        "moderator": moderator,
        "outsider": outsider,
        "case": case,
        "valuable": valuable,
        "tilburg": tilburg,
    }


def _form(**overrides: object) -> dict[str, object]:
    data = {
        "title": "Eigenarenavond",
        "summary": "Samen met eigenaren",
        "problem": "Leegstand",
        "steps": "1. Uitnodigen",
        "results": "",
        "success_factors": "",
        "pitfalls": "",
        "theme": 0,
        "contact": "Sanne, beleidsadviseur",
    }
    data.update(overrides)
    return data


def _approach(db) -> Approach:
    return db.session.scalar(select(Approach))


def test_approach_from_a_case_is_prefilled_and_keeps_its_sources(client, db, kring):
    w = kring
    login(client, w["author"].email)
    url = f"/c/{w['community'].slug}/approaches/new?case={w['case'].id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Lege panden"' in page
    assert "Een derde staat leeg." in page
    assert "Hoe eigenaren bereiken?" in page
    assert "Ik doe de avond." in page  # steps from the reflection
    assert "Organiseer een eigenarenavond" in page
    assert "Gewone reactie" not in page
    response = client.post(url, data={**_form(), "sources": [w["valuable"].id]})
    approach = _approach(db)
    assert response.headers["Location"] == f"/approaches/{approach.id}"
    assert approach.case_id == w["case"].id
    assert approach.scope == "community"
    assert approach.organisation_id == w["author"].organisation_id
    sources = db.session.scalars(select(ApproachSource.contribution_id)).all()
    assert sources == [w["valuable"].id]
    show = client.get(f"/approaches/{approach.id}").get_data(as_text=True)
    assert "Herkomst" in show
    source = f"/cases/{w['case'].id}/contributions/{w['valuable'].id}"
    assert f'href="/c/{w["community"].slug}{source}"' in show


def test_only_valuable_contributions_can_be_sources(client, db, kring, make_contribution):
    w = kring
    other = make_contribution(w["case"], w["member"], kind="comment", phase="advice")
    login(client, w["author"].email)
    url = f"/c/{w['community'].slug}/approaches/new?case={w['case'].id}"
    response = client.post(url, data={**_form(), "sources": [other.id]})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Approach)) == 0


def test_members_only_until_shared_then_library_then_withdrawn(app, client, db, kring):
    w = kring
    login(client, w["author"].email)
    client.post(f"/c/{w['community'].slug}/approaches/new", data=_form())
    approach = _approach(db)
    outsider = app.test_client()
    login(outsider, w["outsider"].email)
    assert outsider.get(f"/approaches/{approach.id}").status_code == 404
    assert "Eigenarenavond" not in outsider.get("/approaches").get_data(as_text=True)
    client.post(f"/approaches/{approach.id}/share")
    assert (
        db.session.scalar(
            select(Notification.kind).where(Notification.recipient_id == w["moderator"].id)
        )
        == "approach_share_requested"
    )
    assert outsider.get(f"/approaches/{approach.id}").status_code == 404  # requested, not approved
    assert client.post(f"/approaches/{approach.id}/share/approve").status_code == 403  # author
    moderator = app.test_client()
    login(moderator, w["moderator"].email)
    moderator.post(f"/approaches/{approach.id}/share/approve")
    db.session.refresh(approach)
    assert approach.scope == "library"
    assert approach.library_approved_at is not None
    page = outsider.get(f"/approaches/{approach.id}").get_data(as_text=True)
    assert "Eigenarenavond" in page
    assert "Herkomst" not in page
    assert "/cases/" not in page
    assert "Eigenarenavond" in outsider.get("/approaches").get_data(as_text=True)
    outsider.post(
        f"/approaches/{approach.id}/adopt", data={"status": "piloting", "note": "Start in mei"}
    )
    assert "Eigenarenavond" in outsider.get("/approaches/adoptions").get_data(as_text=True)
    moderator.post(f"/approaches/{approach.id}/withdraw")
    assert outsider.get(f"/approaches/{approach.id}").status_code == 404
    assert "Eigenarenavond" not in outsider.get("/approaches").get_data(as_text=True)
    assert "Eigenarenavond" not in outsider.get("/approaches/adoptions").get_data(as_text=True)


@pytest.mark.parametrize("status", [None, "requested", "removed", "left"])
def test_outsiders_reach_nothing_of_a_community_approach(
    app, client, db, kring, make_membership, status
):
    w = kring
    login(client, w["author"].email)
    client.post(
        f"/c/{w['community'].slug}/approaches/new",
        data={
            **_form(title="Geheime aanpak"),
            "attachment": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "plan.pdf"),
        },
        content_type="multipart/form-data",
    )
    approach = _approach(db)
    attachment = db.session.scalar(select(Attachment))
    db.session.add(
        Adoption(approach_id=approach.id, organisation_id=w["tilburg"].id, status="piloting")
    )
    db.session.commit()
    if status:
        make_membership(w["outsider"], w["community"], status=status)
    other = app.test_client()
    login(other, w["outsider"].email)
    missing = other.get("/approaches/999999").get_data()
    for path in (
        f"/approaches/{approach.id}",
        f"/approaches/{approach.id}/versions",
        f"/files/{attachment.id}",
    ):
        response = other.get(path)
        assert response.status_code == 404, path
        assert response.get_data() == missing, path
    for path in (f"/approaches/{approach.id}/adopt", f"/approaches/{approach.id}/share"):
        assert other.post(path, data={"status": "piloting"}).status_code == 404
    for path in ("/approaches", "/approaches/adoptions", "/notifications", "/"):
        assert "Geheime aanpak" not in other.get(path).get_data(as_text=True), path


def test_edit_makes_a_new_version(client, db, kring):
    w = kring
    login(client, w["author"].email)
    client.post(f"/c/{w['community'].slug}/approaches/new", data=_form())
    approach = _approach(db)
    client.post(
        f"/approaches/{approach.id}/edit", data={**_form(title="Eigenarenavond 2.0"), "version": 1}
    )
    db.session.refresh(approach)
    assert (approach.title, approach.version) == ("Eigenarenavond 2.0", 2)
    assert db.session.scalar(select(ApproachVersion.title)) == "Eigenarenavond"
    page = client.get(f"/approaches/{approach.id}").get_data(as_text=True)
    assert "Laatst gewijzigd op" in page
    assert "Sanne" in page
    assert "1 eerdere versie" in page
    stale = client.post(
        f"/approaches/{approach.id}/edit", data={**_form(title="Oud"), "version": 1}
    )
    assert "Iemand anders heeft deze aanpak opgeslagen" in stale.get_data(as_text=True)


def test_one_adoption_per_organisation_updated_over_time(app, client, db, kring, make_user):
    w = kring
    login(client, w["author"].email)
    client.post(f"/c/{w['community'].slug}/approaches/new", data=_form())
    approach = _approach(db)
    approach.scope, approach.library_requested_at, approach.library_approved_at = (
        "library",
        utcnow(),
        utcnow(),
    )
    db.session.commit()
    colleague = make_user(organisation=w["tilburg"])
    for person, status in ((w["outsider"], "considering"), (colleague, "implemented")):
        c = app.test_client()
        login(c, person.email)
        assert (
            c.post(
                f"/approaches/{approach.id}/adopt", data={"status": status, "note": "x"}
            ).status_code
            == 302
        )
    adoptions = db.session.scalars(select(Adoption)).all()
    assert [(a.organisation_id, a.status) for a in adoptions] == [(w["tilburg"].id, "implemented")]
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.recipient_id == w["author"].id)
    ).all()
    assert "approach_adopted" in kinds
    bad = app.test_client()
    login(bad, colleague.email)
    response = bad.post(f"/approaches/{approach.id}/adopt", data={"status": "married"})
    assert response.status_code == 200
    assert 'id="status-error"' in response.get_data(as_text=True)


def test_concurrent_adoptions_give_one_row(app, db, kring, make_user):
    """Two people of one organisation report at once: one row, the later report wins."""
    import contextvars

    from community.approaches import services
    from community.models import User

    w = kring
    approach = Approach(
        community_id=w["community"].id,
        author_id=w["author"].id,
        title="A",
        scope="library",
        library_requested_at=utcnow(),
        library_approved_at=utcnow(),
    )
    db.session.add(approach)
    colleague = make_user(organisation=w["tilburg"])
    ids = (approach.id, w["outsider"].id, colleague.id)
    db.session.commit()

    def report(user_id: int, status: str) -> None:
        with app.test_request_context():
            user = db.session.get(User, user_id)
            services.record_adoption(
                user, db.session.get(Approach, ids[0]), status=status, note="", contact="", ip=None
            )
            db.session.commit()
            db.session.remove()

    contextvars.Context().run(report, ids[1], "considering")
    contextvars.Context().run(report, ids[2], "piloting")
    rows = db.session.scalars(select(Adoption)).all()
    assert [(r.status) for r in rows] == ["piloting"]


def test_follow_up_after_three_months_once(app, client, db, outbox, kring):
    from community.cases.follow_up import request_follow_ups

    w = kring
    case = w["case"]
    case.closed_at = utcnow() - timedelta(days=100)
    db.session.commit()
    with app.test_request_context():
        assert request_follow_ups() == 1
        db.session.commit()
        assert request_follow_ups() == 0  # a second worker finds nothing left
        db.session.commit()
    notes = db.session.scalars(
        select(Notification.kind).where(Notification.recipient_id == w["author"].id)
    ).all()
    assert notes == ["follow_up_requested"]
    login(client, w["author"].email)
    client.post(
        f"/c/{w['community'].slug}/cases/{case.id}/follow-up",
        data={"follow_up": "De avond was een succes."},
    )
    page = client.get(f"/c/{w['community'].slug}/cases/{case.id}").get_data(as_text=True)
    assert "Terugkoppeling" in page
    assert "De avond was een succes." in page
    client.post(f"/c/{w['community'].slug}/approaches/new?case={case.id}", data=_form())
    approach = _approach(db)
    assert "De avond was een succes." in client.get(f"/approaches/{approach.id}").get_data(
        as_text=True
    )


def test_follow_up_only_by_the_author(client, kring):
    w = kring
    login(client, w["member"].email)
    url = f"/c/{w['community'].slug}/cases/{w['case'].id}/follow-up"
    assert client.post(url, data={"follow_up": "x"}).status_code == 403


def test_library_and_overview_queries_do_not_grow(app, client, db, kring, make_organisation):
    w = kring
    login(client, w["outsider"].email)

    def add(n: int) -> None:
        for i in range(n):
            approach = Approach(
                community_id=w["community"].id,
                author_id=w["author"].id,
                organisation_id=w["author"].organisation_id,
                title=f"Aanpak {i}",
                summary="s",
                scope="library",
                library_requested_at=utcnow(),
                library_approved_at=utcnow(),
            )
            db.session.add(approach)
            db.session.flush()
            org = make_organisation()
            db.session.add(
                Adoption(approach_id=approach.id, organisation_id=org.id, status="piloting")
            )
        db.session.commit()

    def measure() -> tuple[int, int]:
        with count_queries(app) as library:
            assert client.get("/approaches?sort=adopted").status_code == 200
        with count_queries(app) as overview:
            assert client.get("/approaches/adoptions").status_code == 200
        return len(library), len(overview)

    add(2)
    small = measure()
    add(25)
    assert measure() == small


def test_anonymous_visitors_see_no_library(client, db, kring):
    assert client.get("/approaches").status_code == 302
    assert client.get("/approaches/1").status_code == 302
    assert client.get("/approaches/adoptions").status_code == 302


def _library(db, approach) -> None:
    approach.scope, approach.library_requested_at, approach.library_approved_at = (
        "library",
        utcnow(),
        utcnow(),
    )
    db.session.commit()


def test_review_fixes_for_the_library(
    app, client, db, kring, make_organisation, make_community, make_membership
):
    w = kring
    login(client, w["author"].email)
    client.post(
        f"/c/{w['community'].slug}/approaches/new?case={w['case'].id}",
        data=_form(problem="CASUSTEKST"),
    )
    approach = _approach(db)
    client.post(f"/approaches/{approach.id}/edit", data={**_form(problem="Schoon"), "version": 1})
    _library(db, approach)
    outsider = app.test_client()
    login(outsider, w["outsider"].email)
    # Earlier versions (with text from the case) stay with the members.
    assert outsider.get(f"/approaches/{approach.id}/versions").status_code == 404
    assert "eerdere versie" not in outsider.get(f"/approaches/{approach.id}").get_data(as_text=True)
    # An edit of a library approach goes back to the moderators first.
    client.post(f"/approaches/{approach.id}/edit", data={**_form(steps="NIEUW"), "version": 2})
    db.session.refresh(approach)
    assert approach.scope == "community"
    assert approach.library_requested_at is not None
    assert outsider.get(f"/approaches/{approach.id}").status_code == 404
    # Organisations known only from closed approaches stay unknown.
    secret = make_community(visibility="secret")
    hidden_org = make_organisation(name="Geheimstad")
    db.session.add(
        Approach(community_id=secret.id, organisation_id=hidden_org.id, title="Verborgen")
    )
    db.session.commit()
    assert "Geheimstad" not in outsider.get("/approaches").get_data(as_text=True)


def test_moderator_cannot_approve_own_request_nor_in_an_archived_community(client, db, kring):
    w = kring
    login(client, w["moderator"].email)
    client.post(f"/c/{w['community'].slug}/approaches/new", data=_form())
    approach = _approach(db)
    client.post(f"/approaches/{approach.id}/share")
    assert client.post(f"/approaches/{approach.id}/share/approve").status_code == 403
    w["community"].archived_at = utcnow()
    db.session.commit()
    approach.author_id = w["author"].id
    db.session.commit()
    assert client.post(f"/approaches/{approach.id}/share/approve").status_code == 403


def test_decline_and_ask_again(app, client, db, kring):
    w = kring
    login(client, w["author"].email)
    client.post(f"/c/{w['community'].slug}/approaches/new", data=_form())
    approach = _approach(db)
    client.post(f"/approaches/{approach.id}/share")
    client.post(f"/approaches/{approach.id}/share")  # a double click asks once
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.kind == "approach_share_requested")
        )
        == 1
    )
    moderator = app.test_client()
    login(moderator, w["moderator"].email)
    moderator.post(f"/approaches/{approach.id}/share/decline")
    db.session.refresh(approach)
    assert approach.library_requested_at is None
    assert approach.scope == "community"
    client.post(f"/approaches/{approach.id}/share")
    db.session.refresh(approach)
    assert approach.library_requested_at is not None


@pytest.mark.parametrize("raw", ["²", "abc", "-1", "0", "9" * 30])
def test_odd_case_parameters_are_not_a_500(client, kring, raw):
    w = kring
    login(client, w["author"].email)
    assert client.get(f"/c/{w['community'].slug}/approaches/new?case={raw}").status_code == 404
    assert client.post("/notifications/read", data={"id": raw}).status_code == 302


def test_adoption_overview_pages_through_every_adopted_approach(
    client, db, kring, make_organisation, monkeypatch
):
    from community.approaches import queries

    w = kring
    for title in ("Aanpak C", "Aanpak A", "Aanpak B"):
        _library_approach_with(db, kring, make_organisation, ["piloting"], title=title)
    monkeypatch.setattr(queries, "OVERVIEW_PER_PAGE", 2)
    login(client, w["outsider"].email)
    first = client.get("/approaches/adoptions").get_data(as_text=True)
    assert "Aanpak A" in first
    assert "Aanpak B" in first
    assert "Aanpak C" not in first
    assert "page=2" in first
    second = client.get("/approaches/adoptions?page=2").get_data(as_text=True)
    assert "Aanpak C" in second
    assert "Aanpak A" not in second


def _library_approach_with(
    db, kring, make_organisation, statuses: list[str], title: str = "Aanpak met toepassingen"
) -> Approach:
    approach = Approach(
        community_id=kring["community"].id,
        author_id=kring["author"].id,
        organisation_id=kring["author"].organisation_id,
        title=title,
        summary="s",
        scope="library",
        library_requested_at=utcnow(),
        library_approved_at=utcnow(),
    )
    db.session.add(approach)
    db.session.flush()
    for status in statuses:
        db.session.add(
            Adoption(approach_id=approach.id, organisation_id=make_organisation().id, status=status)
        )
    db.session.commit()
    return approach


def _library_card(client, title: str) -> str:
    page = client.get("/approaches").get_data(as_text=True)
    card = page[page.index(title) :]
    return card[: card.index("</li>")]


def test_the_adoption_count_says_what_it_counts(client, db, kring, make_organisation):
    """ "passen dit toe" counts only the organisations that apply it; the others are named."""
    _library_approach_with(
        db,
        kring,
        make_organisation,
        ["implemented", "implemented", "piloting", "considering", "considering", "stopped"],
    )
    login(client, kring["outsider"].email)
    card = _library_card(client, "Aanpak met toepassingen")
    assert (
        "2 organisaties passen dit toe, 1 organisatie probeert dit uit, "
        "2 organisaties overwegen dit, 1 organisatie is ermee gestopt"
    ) in card
    client.post("/language", data={"language": "en"})
    card = _library_card(client, "Aanpak met toepassingen")
    assert (
        "2 organisations apply this, 1 organisation is trying this out, "
        "2 organisations are considering this, 1 organisation has stopped"
    ) in card


def test_considering_alone_is_not_called_applying(client, db, kring, make_organisation):
    _library_approach_with(db, kring, make_organisation, ["considering"])
    login(client, kring["outsider"].email)
    card = _library_card(client, "Aanpak met toepassingen")
    assert "1 organisatie overweegt dit" in card
    assert "toe" not in card.split("·")[-1]


def test_the_adoption_chart_has_a_table_with_its_numbers(client, db, kring, make_organisation):
    _library_approach_with(
        db, kring, make_organisation, ["implemented", "piloting", "piloting", "stopped"]
    )
    login(client, kring["outsider"].email)
    page = client.get("/approaches/adoptions").get_data(as_text=True)
    table = page[page.index('id="chart-table"') :]
    table = table[: table.index("</table>")]
    row = table[table.index("Aanpak met toepassingen") :]
    cells = [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]]
    # overweegt, probeert uit, past toe, gestopt, totaal
    assert cells == ["0", "2", "1", "1", "4"]


def _relative_luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def test_chart_colours_reach_the_contrast_of_wcag_1_4_11():
    """Each segment against the white page and gaps 3:1; its white number on it 4.5:1."""
    from community.approaches.chart import COLOURS

    white = _relative_luminance("#ffffff")
    for status, colour in COLOURS.items():
        ratio = (white + 0.05) / (_relative_luminance(colour) + 0.05)
        assert ratio >= 4.5, (status, colour, ratio)
    assert len(set(COLOURS.values())) == len(COLOURS)
