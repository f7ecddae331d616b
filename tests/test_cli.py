"""The flask commands: seed, demo, create-admin."""

from __future__ import annotations

from sqlalchemy import func, select

from community.models import Organisation, OrganisationDomain, Theme, User
from tests.conftest import login


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


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


def test_demo_loads_once(runner, db):
    from community.models import Community, Membership

    result = runner.invoke(args=["demo", "--if-empty"])
    assert "Loaded 10 demo accounts" in result.output
    assert "4 demo communities" in result.output
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in again.output
    assert _count(db, User) == 10
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent without --if-empty too
    assert _count(db, Community) == 4
    visibilities = set(db.session.scalars(select(Community.visibility)))
    assert visibilities == {"closed", "secret"}
    assert _count(db, Membership) > 10


def test_create_admin_from_environment(runner, db, client, monkeypatch):
    monkeypatch.setenv("LEERKRING_ADMIN_PASSWORD", "een-sterk-beheerderswachtwoord")
    result = runner.invoke(args=["create-admin", "Beheer@Platform31.nl", "--name", "Beheerder"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(User).where(User.email == "beheer@platform31.nl"))
    assert admin.platform_role == "admin"
    assert admin.status == "active"
    assert (
        login(client, "beheer@platform31.nl", "een-sterk-beheerderswachtwoord").status_code == 302
    )
    assert client.get("/admin/accounts").status_code == 200


def test_create_admin_refuses_a_weak_password(runner, db, monkeypatch):
    monkeypatch.setenv("LEERKRING_ADMIN_PASSWORD", "kort")
    result = runner.invoke(args=["create-admin", "a@b.example", "--name", "A"])
    assert result.exit_code != 0
    assert _count(db, User) == 0
