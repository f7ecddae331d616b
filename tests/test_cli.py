"""The flask commands: seed, demo, create-admin."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import func, select

from community.models import (
    KINDS,
    PHASES,
    Case,
    Contribution,
    Organisation,
    OrganisationDomain,
    Theme,
    User,
)
from community.models.base import utcnow
from tests.conftest import login


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def development(app):
    """`flask demo` runs only with LEERKRING_ENV=development (tests/test_dev_only.py)."""
    app.config["LEERKRING_ENV"] = "development"


def test_seed_is_idempotent(runner, db):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    counts = (_count(db, Organisation), _count(db, Theme), _count(db, OrganisationDomain))
    assert counts[0] == 45
    assert counts[1] == 13
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert (_count(db, Organisation), _count(db, Theme), _count(db, OrganisationDomain)) == counts
    venlo = db.session.scalar(select(Organisation).where(Organisation.slug == "venlo"))
    assert venlo.kind == "gemeente"
    assert [d.domain for d in venlo.domains] == ["venlo.nl"]
    kinds = set(db.session.scalars(select(Organisation.kind)))
    assert {"gemeente", "woningcorporatie", "ministerie"} <= kinds


def test_demo_loads_once(runner, db, development):
    from community.models import Community, Membership

    result = runner.invoke(args=["demo", "--if-empty"])
    assert "Loaded 18 demo accounts" in result.output
    assert "4 demo communities" in result.output
    assert "12 demo cases and 4 demo approaches" in result.output
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in again.output
    assert _count(db, User) == 18
    counts = (_count(db, Membership), _count(db, Case), _count(db, Contribution))
    rerun = runner.invoke(args=["demo"])  # idempotent without --if-empty too
    assert rerun.exit_code == 0, rerun.output
    assert "Loaded 0 demo accounts" in rerun.output
    assert "0 demo communities, 0 demo cases and 0 demo approaches" in rerun.output
    assert (_count(db, Membership), _count(db, Case), _count(db, Contribution)) == counts
    assert _count(db, User) == 18
    assert _count(db, Community) == 4
    visibilities = set(db.session.scalars(select(Community.visibility)))
    assert visibilities == {"closed", "secret"}
    assert _count(db, Membership) > 10


def test_demo_cases_follow_the_cycle(runner, db, development):
    from community.cases import cycle
    from community.models import Membership

    assert runner.invoke(args=["demo"]).exit_code == 0
    cases = list(db.session.scalars(select(Case)))
    assert len(cases) == 12
    assert {case.phase for case in cases} == set(PHASES)
    assert len({case.community_id for case in cases}) == 4
    roles = {
        (m.community_id, m.user_id): m.role
        for m in db.session.scalars(select(Membership).where(Membership.status == "active"))
    }
    closed_with_outcome = 0
    for case in cases:
        assert case.author.email.split("@")[1] in {d.domain for d in case.organisation.domains}
        assert case.organisation_id == case.author.organisation_id
        assert case.theme is not None
        assert "<p>" in case.context_html
        assert (case.community_id, case.author_id) in roles
        assert (case.published_at is None) == (case.phase == "draft")
        assert (case.closed_at is not None) == (case.phase == "closed")
        contributions = list(
            db.session.scalars(
                select(Contribution)
                .where(Contribution.case_id == case.id)
                .order_by(Contribution.created_at, Contribution.id)
            )
        )
        by_id = {c.id: c for c in contributions}
        phase_order = [PHASES.index(c.phase) for c in contributions]
        assert phase_order == sorted(phase_order)
        for c in contributions:
            role = roles.get((case.community_id, c.author_id))
            assert role is not None, f"{c.author.email} is no active member"
            is_author = c.author_id == case.author_id
            assert c.kind in cycle.allowed_kinds("incident", c.phase, role, is_author)
            assert PHASES.index(c.phase) <= PHASES.index(case.phase)
            assert case.published_at < c.created_at <= case.last_activity_at <= utcnow()
            assert c.parent_id is None or by_id[c.parent_id].parent_id is None
            assert not c.valuable or (case.phase in {"reflection", "closed"} and not is_author)
        reflected = any(c.kind == "reflection" for c in contributions)
        valued = any(c.valuable for c in contributions)
        assert reflected == (case.phase in {"reflection", "closed"})
        if case.phase in {"reflection", "closed"}:
            assert valued
        closed_with_outcome += case.phase == "closed" and reflected and valued
    assert closed_with_outcome >= 1
    kinds = set(db.session.scalars(select(Contribution.kind)))
    assert kinds == set(KINDS)
    replies = db.session.scalar(
        select(func.count()).select_from(Contribution).where(Contribution.parent_id.is_not(None))
    )
    assert replies > 0


def test_demo_approaches_and_adoptions(runner, db, development):
    from community.models import (
        ADOPTION_STATUSES,
        Adoption,
        Approach,
        ApproachSource,
        Membership,
    )

    assert runner.invoke(args=["demo"]).exit_code == 0
    approaches = list(db.session.scalars(select(Approach).order_by(Approach.id)))
    assert len(approaches) >= 3
    moderators = {
        (m.community_id, m.user_id)
        for m in db.session.scalars(
            select(Membership).where(Membership.status == "active", Membership.role == "moderator")
        )
    }
    library = [a for a in approaches if a.scope == "library"]
    assert len(library) == 2
    for approach in library:
        assert approach.library_requested_at is not None
        assert approach.library_approved_at is not None
        assert approach.library_requested_at <= approach.library_approved_at <= utcnow()
        assert (approach.community_id, approach.library_approved_by_id) in moderators
    for approach in approaches:
        if approach.scope == "community":
            assert approach.library_approved_at is None
            assert approach.library_approved_by_id is None
        assert approach.version == 1
        assert approach.author_id == approach.updated_by_id
        assert approach.organisation_id == approach.author.organisation_id
        assert "<p>" in approach.summary_html
        assert all(getattr(approach, name) for name in ("problem", "steps", "results"))
        assert all(getattr(approach, name) for name in ("success_factors", "pitfalls", "contact"))
        sources = list(
            db.session.scalars(
                select(Contribution)
                .join(ApproachSource, ApproachSource.contribution_id == Contribution.id)
                .where(ApproachSource.approach_id == approach.id)
            )
        )
        if approach.case is None:
            assert not sources
            continue
        case = approach.case
        assert approach.author_id == case.author_id
        assert approach.theme_id == case.theme_id
        assert case.phase in {"reflection", "closed"}
        assert approach.created_at >= case.last_activity_at
        assert sources
        assert all(c.valuable and c.case_id == case.id for c in sources)
    closed = {a.case.title for a in approaches if a.case and a.case.phase == "closed"}
    assert len(closed) == 2
    assert {a.case.title for a in library} == closed

    adoptions = list(db.session.scalars(select(Adoption)))
    assert 5 <= len(adoptions) <= 8
    assert {a.approach_id for a in adoptions} == {a.id for a in library}
    assert len({a.status for a in adoptions}) >= 3
    assert {a.status for a in adoptions} <= set(ADOPTION_STATUSES)
    assert len({a.organisation_id for a in adoptions}) >= 4
    pairs = [(a.approach_id, a.organisation_id) for a in adoptions]
    assert len(pairs) == len(set(pairs))
    by_id = {a.id: a for a in library}
    for adoption in adoptions:
        reporter = db.session.get(User, adoption.updated_by_id)
        approach = by_id[adoption.approach_id]
        assert reporter.organisation_id == adoption.organisation_id or (
            reporter.id == approach.author_id
        )
        assert approach.library_approved_at <= adoption.created_at <= utcnow()
        assert adoption.note
    assert any(  # an adopting city with a demo user reports it itself
        db.session.get(User, a.updated_by_id).organisation_id == a.organisation_id
        for a in adoptions
    )

    counts = (_count(db, Approach), _count(db, ApproachSource), _count(db, Adoption))
    rerun = runner.invoke(args=["demo"])
    assert rerun.exit_code == 0, rerun.output
    assert "0 demo cases and 0 demo approaches" in rerun.output
    assert (_count(db, Approach), _count(db, ApproachSource), _count(db, Adoption)) == counts


def test_create_admin_from_environment(runner, db, client, monkeypatch):
    monkeypatch.setenv("LEERKRING_ADMIN_PASSWORD", "een-sterk-beheerderswachtwoord")
    result = runner.invoke(args=["create-admin", "Beheer@Platform31.nl", "--name", "Beheerder"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(User).where(User.email == "beheer@platform31.nl"))
    assert admin.platform_role == "admin"
    assert admin.status == "active"
    response = login(client, "beheer@platform31.nl", "een-sterk-beheerderswachtwoord")
    # Staff set up two-step verification before they use their powers (as in production).
    assert response.headers["Location"] == "/account/2fa"
    assert client.get("/admin/accounts").status_code == 403
    page = client.get("/account/2fa").get_data(as_text=True)
    secret = re.search(r'<code class="feed-url">([A-Z2-7]+)</code>', page).group(1)
    client.post(
        "/account/2fa",
        data={"password": "een-sterk-beheerderswachtwoord", "code": pyotp.TOTP(secret).now()},
    )
    assert client.get("/admin/accounts").status_code == 200


def test_create_admin_refuses_a_weak_password(runner, db, monkeypatch):
    monkeypatch.setenv("LEERKRING_ADMIN_PASSWORD", "kort")
    result = runner.invoke(args=["create-admin", "a@b.example", "--name", "A"])
    assert result.exit_code != 0
    assert _count(db, User) == 0


def test_demo_meetings_past_with_report_and_upcoming_with_answers(runner, db, development):
    from community.models import Meeting, MeetingCase, Rsvp
    from community.models.base import utcnow

    result = runner.invoke(args=["demo"])
    assert "Loaded 3 demo meetings." in result.output
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
    past = [m for m in meetings if m.ends_at < utcnow()]
    upcoming = [m for m in meetings if m.starts_at > utcnow()]
    assert len(past) == 1
    assert past[0].report_html.startswith("<p>")
    assert len(upcoming) == 2
    answers = {
        r.response for r in db.session.scalars(select(Rsvp)) if r.meeting_id == upcoming[0].id
    }
    assert answers == {"yes", "maybe", "no"}
    assert _count(db, MeetingCase) == 1  # the Roosendaal case on the expert session's agenda
    assert "Loaded 0 demo meetings." in runner.invoke(args=["demo"]).output
    assert _count(db, Meeting) == 3
