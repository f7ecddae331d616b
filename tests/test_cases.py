"""Bringing in, listing, editing and moving cases through the cycle."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.models import Case, CaseRevision, Notification
from tests.conftest import count_queries, login


@pytest.fixture
def kring(make_community, make_membership, make_user, make_organisation):
    community = make_community(name="Vitale binnensteden")
    venlo = make_organisation(name="Venlo", slug="venlo-x", domains=["venlo.x"])
    author = make_user(name="Sanne", organisation=venlo)
    moderator = make_user(name="Mo")
    member = make_user(name="Lid")
    make_membership(author, community)
    make_membership(moderator, community, role="moderator")
    make_membership(member, community)
    return community, author, moderator, member


def _form(**overrides: object) -> dict[str, object]:
    data = {
        "title": "Lege panden in de aanloopstraat",
        "theme": 0,
        "context": "Een derde van de panden staat leeg.",
        "question": "Hoe krijg ik eigenaren aan tafel?",
        "tried": "Brieven gestuurd.",
        "stakeholders": "Eigenaren, ondernemers",
        "action": "publish",
    }
    data.update(overrides)
    return data


def test_publish_a_case_notifies_members_with_title_only(client, db, outbox, kring):
    community, author, _moderator, member = kring
    login(client, author.email)
    page = client.get(f"/c/{community.slug}/cases/new").get_data(as_text=True)
    assert "alleen de leden van Vitale binnensteden" in page
    assert "persoonsgegevens" in page
    response = client.post(f"/c/{community.slug}/cases/new", data=_form())
    case = db.session.scalar(select(Case))
    assert response.headers["Location"] == f"/c/{community.slug}/cases/{case.id}"
    assert case.phase == "questions"
    assert case.published_at is not None
    assert case.organisation_id == author.organisation_id
    kinds = set(
        db.session.scalars(select(Notification.kind).where(Notification.recipient_id == member.id))
    )
    assert kinds == {"case_published"}
    mail = next(m for m in outbox if m["To"] == member.email)
    assert "Lege panden" in mail.get_content()
    assert "Een derde van de panden" not in mail.get_content()


def test_draft_is_only_for_the_author(app, client, db, kring):
    community, author, moderator, member = kring
    login(client, author.email)
    client.post(f"/c/{community.slug}/cases/new", data=_form(action="draft"))
    case = db.session.scalar(select(Case))
    assert case.phase == "draft"
    assert client.get(f"/c/{community.slug}/cases/{case.id}").status_code == 200
    assert "Lege panden" in client.get(f"/c/{community.slug}").get_data(as_text=True)
    other = app.test_client()
    login(other, member.email)
    assert other.get(f"/c/{community.slug}/cases/{case.id}").status_code == 404
    assert "Lege panden" not in other.get(f"/c/{community.slug}").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    client.post(f"/c/{community.slug}/cases/{case.id}/phase", data={"phase": "questions"})
    assert other.get(f"/c/{community.slug}/cases/{case.id}").status_code == 200


def test_bad_case_input_keeps_the_text(client, db, kring):
    community, author, *_ = kring
    login(client, author.email)
    for bad, field in (
        (_form(title=""), "title"),
        (_form(title="x" * 201), "title"),
        (_form(context=""), "context"),
        (_form(question="x" * 5001), "question"),
        (_form(theme=999999), "theme"),
    ):
        response = client.post(f"/c/{community.slug}/cases/new", data=bad)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, field
        assert f'href="#{field}"' in html, field
        assert "Brieven gestuurd." in html  # nothing lost
    assert db.session.scalar(select(Case)) is None


def test_bsn_is_a_warning_before_publishing_not_a_block(client, db, kring):
    community, author, *_ = kring
    login(client, author.email)
    data = _form(context="Mevrouw met BSN 111 222 333 woont hier.")
    response = client.post(f"/c/{community.slug}/cases/new", data=data)
    assert "op een BSN lijkt" in response.get_data(as_text=True)
    assert db.session.scalar(select(Case)) is None  # not published first, warned after
    response = client.post(
        f"/c/{community.slug}/cases/new", data={**data, "confirm_bsn": "y"}, follow_redirects=True
    )
    assert "op een BSN lijkt" not in response.get_data(as_text=True)
    assert db.session.scalar(select(Case)) is not None
    response = client.post(
        f"/c/{community.slug}/cases/new", data=_form(title="Tweede"), follow_redirects=True
    )
    assert "op een BSN lijkt" not in response.get_data(as_text=True)


def test_edit_keeps_history_and_detects_conflicts(app, client, db, kring, make_case):
    community, author, moderator, _member = kring
    case = make_case(community, author, title="Oud", context="Oude tekst")
    login(client, author.email)
    page = client.get(f"/c/{community.slug}/cases/{case.id}/edit").get_data(as_text=True)
    assert 'name="version"' in page
    moderator_client = app.test_client()
    login(moderator_client, moderator.email)
    # The moderator saves first, from the same version.
    moderator_client.post(
        f"/c/{community.slug}/cases/{case.id}/edit",
        data=_form(title="Versie moderator", version=1, action=None),
    )
    response = client.post(
        f"/c/{community.slug}/cases/{case.id}/edit",
        data=_form(title="Versie auteur", context="Mijn zorgvuldige tekst", version=1, action=None),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409  # Conflict: the form again, both texts kept
    assert "Iemand anders heeft deze casus opgeslagen" in html
    assert "Mijn zorgvuldige tekst" in html
    assert "Versie moderator" in html
    db.session.refresh(case)
    assert (case.title, case.version) == ("Versie moderator", 2)
    # Saving again from the version shown now works.
    client.post(
        f"/c/{community.slug}/cases/{case.id}/edit",
        data=_form(title="Versie auteur", version=2, action=None),
    )
    db.session.refresh(case)
    assert (case.title, case.version) == ("Versie auteur", 3)
    titles = db.session.scalars(select(CaseRevision.title).order_by(CaseRevision.version)).all()
    assert titles == ["Oud", "Versie moderator"]
    history = client.get(f"/c/{community.slug}/cases/{case.id}/history").get_data(as_text=True)
    assert "Oude tekst" in history


def test_only_author_and_moderators_edit(client, kring, make_case):
    community, author, _moderator, member = kring
    case = make_case(community, author)
    login(client, member.email)
    assert client.get(f"/c/{community.slug}/cases/{case.id}/edit").status_code == 403
    assert (
        client.post(f"/c/{community.slug}/cases/{case.id}/edit", data=_form(version=1)).status_code
        == 403
    )


def test_phase_moves_follow_the_rules(app, client, db, kring, make_case):
    community, author, moderator, member = kring
    case = make_case(community, author, phase="questions")
    url = f"/c/{community.slug}/cases/{case.id}/phase"
    login(client, member.email)
    assert client.post(url, data={"phase": "advice"}).status_code == 403
    client.post("/logout")
    login(client, moderator.email)
    client.post(url, data={"phase": "advice"})
    client.post(url, data={"phase": "reflection"})
    client.post("/logout")
    login(client, author.email)
    assert client.post(url, data={"phase": "questions"}).status_code == 403  # no way back
    client.post(url, data={"phase": "closed"})
    db.session.refresh(case)
    assert case.phase == "closed"
    assert case.closed_at is not None
    client.post("/logout")
    login(client, moderator.email)
    client.post(url, data={"phase": "reflection"})  # reopen
    db.session.refresh(case)
    assert case.phase == "reflection"


def test_community_home_lists_and_filters_cases(
    client, db, kring, make_case, make_contribution, make_theme
):
    community, author, _moderator, member = kring
    wonen = make_theme(slug="wonen-x", name_nl="Wonen X")
    first = make_case(community, author, title="Casus Wonen", theme_id=wonen.id, phase="advice")
    make_case(community, author, title="Casus Vragen", phase="questions")
    make_case(community, author, title="Concept van Sanne", phase="draft")
    make_contribution(first, member, kind="advice", phase="advice")
    login(client, member.email)
    page = client.get(f"/c/{community.slug}").get_data(as_text=True)
    assert "Casus Wonen" in page
    assert "Casus Vragen" in page
    assert "1 bijdrage" in page
    assert "Concept van Sanne" not in page
    filtered = client.get(f"/c/{community.slug}?phase=advice").get_data(as_text=True)
    assert "Casus Wonen" in filtered
    assert "Casus Vragen" not in filtered
    filtered = client.get(f"/c/{community.slug}?theme=wonen-x").get_data(as_text=True)
    assert "Casus Wonen" in filtered
    assert "Casus Vragen" not in filtered


def test_case_page_and_list_queries_are_bounded(
    app, client, kring, make_case, make_contribution, make_user, make_membership
):
    community, author, moderator, member = kring
    case = make_case(community, author, phase="questions")
    people = [member, moderator]
    for n in range(5):
        make_contribution(case, people[n % 2], kind="question")

    def measure() -> tuple[int, int]:
        with count_queries(app) as page:
            assert client.get(f"/c/{community.slug}/cases/{case.id}").status_code == 200
        with count_queries(app) as home:
            assert client.get(f"/c/{community.slug}").status_code == 200
        return len(page), len(home)

    login(client, member.email)
    small = measure()
    for n in range(195):
        if n % 20 == 0:
            newcomer = make_user()
            make_membership(newcomer, community, role="expert" if n % 40 == 0 else "member")
            people.append(newcomer)
        make_contribution(case, people[n % len(people)], kind="question")
        if n % 50 == 0:
            make_case(community, author)
    assert measure() == small


@pytest.mark.parametrize("status", [None, "requested", "removed", "left"])
def test_outsiders_get_the_404_of_a_missing_case(
    app, client, db, kring, make_case, make_contribution, make_user, make_membership, status
):
    from community.notifications.services import notify

    community, author, moderator, member = kring
    case = make_case(community, author, phase="questions", title="Geheime casus")
    contribution = make_contribution(case, member, kind="question")
    outsider = make_user()
    if status:
        make_membership(outsider, community, status=status)
    with app.test_request_context():
        notify(
            outsider,
            "case_published",
            community=community,
            target=case,
            case_id=case.id,
            case_title=case.title,
        )
        db.session.commit()
    login(client, outsider.email)
    base = f"/c/{community.slug}/cases"
    pairs = [
        ("get", f"{base}/{case.id}", f"{base}/999999"),
        ("get", f"{base}/{case.id}/edit", f"{base}/999999/edit"),
        ("post", f"{base}/{case.id}/contributions", f"{base}/999999/contributions"),
        ("post", f"{base}/{case.id}/phase", f"{base}/999999/phase"),
        (
            "get",
            f"{base}/{case.id}/contributions/{contribution.id}/edit",
            f"{base}/999999/contributions/1/edit",
        ),
    ]
    for method, real, missing in pairs:
        got = client.open(real, method=method.upper(), data={"kind": "question", "body": "x"})
        expected = client.open(
            missing, method=method.upper(), data={"kind": "question", "body": "x"}
        )
        assert got.status_code == 404, real
        assert got.get_data() == expected.get_data(), real
    assert "Geheime casus" not in client.get("/notifications").get_data(as_text=True)
    assert "ongelezen" not in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
