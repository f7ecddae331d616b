"""Account approval and suspension, organisations and their domains."""

from __future__ import annotations

from sqlalchemy import select

from community.models import AuditEvent, Organisation, OrganisationDomain, User
from tests.conftest import login


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_members_cannot_reach_admin_pages(client, logged_in, make_user):
    pending = make_user(status="pending")
    logged_in()
    assert client.get("/admin/accounts").status_code == 403
    assert client.get("/admin/organisations").status_code == 403
    assert client.post(f"/admin/accounts/{pending.id}/approve").status_code == 403
    assert client.post(f"/admin/accounts/{pending.id}/suspend").status_code == 403


def test_admin_approves_a_pending_account(client, db, outbox, logged_in, make_user):
    pending = make_user(status="pending", name="Wachtende Collega")
    admin = logged_in(platform_role="admin")
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert "Wachtende Collega" in page
    response = client.post(f"/admin/accounts/{pending.id}/approve")
    assert response.headers["Location"] == "/admin/accounts"
    assert db.session.get(User, pending.id).status == "active"
    assert outbox[-1]["To"] == pending.email
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.approved"))
    assert event.actor_id == admin.id
    assert event.target_id == pending.id
    assert login(client.application.test_client(), pending.email).status_code == 302


def test_unconfirmed_accounts_cannot_be_approved(client, db, logged_in, make_user):
    unconfirmed = make_user(status="pending", confirmed=False)
    logged_in(platform_role="admin")
    assert client.post(f"/admin/accounts/{unconfirmed.id}/approve").status_code == 403
    assert db.session.get(User, unconfirmed.id).status == "pending"


def test_suspension_ends_open_sessions(app, client, db, logged_in, make_user):
    member = make_user()
    member_client = app.test_client()
    assert login(member_client, member.email).status_code == 302
    assert member_client.get("/account").status_code == 200
    logged_in(platform_role="admin")
    client.post(f"/admin/accounts/{member.id}/suspend")
    assert db.session.get(User, member.id).status == "suspended"
    assert member_client.get("/account").status_code == 302
    assert "account.suspended" in _actions(db)


def test_admin_cannot_suspend_themself(client, db, logged_in):
    admin = logged_in(platform_role="admin")
    assert client.post(f"/admin/accounts/{admin.id}/suspend").status_code == 403


def test_unknown_account_is_404(client, logged_in):
    logged_in(platform_role="admin")
    assert client.post("/admin/accounts/999999/approve").status_code == 404


def test_admin_edits_organisation_domains(client, db, logged_in, make_organisation):
    organisation = make_organisation(name="Venlo", slug="venlo", domains=["venlo.nl"])
    logged_in(platform_role="admin")
    response = client.post(
        f"/admin/organisations/{organisation.id}",
        data={
            "name": "Gemeente Venlo",
            "slug": "venlo",
            "kind": "gemeente",
            "domains": "venlo.nl\n@Ondernemersloket-Venlo.nl",
        },
    )
    assert response.headers["Location"] == "/admin/organisations"
    domains = db.session.scalars(
        select(OrganisationDomain.domain)
        .where(OrganisationDomain.organisation_id == organisation.id)
        .order_by(OrganisationDomain.domain)
    ).all()
    assert domains == ["ondernemersloket-venlo.nl", "venlo.nl"]
    assert db.session.get(Organisation, organisation.id).name == "Gemeente Venlo"
    assert "organisation.saved" in _actions(db)


def test_organisation_form_refuses_bad_and_taken_domains(client, db, logged_in, make_organisation):
    make_organisation(slug="zaanstad", domains=["zaanstad.nl"])
    logged_in(platform_role="admin")
    for domains, message in (
        ("niet een domein", "geen geldig domein"),
        ("zaanstad.nl", "hoort al bij een andere organisatie"),
    ):
        response = client.post(
            "/admin/organisations/new",
            data={"name": "Nieuw", "slug": "nieuw", "kind": "overig", "domains": domains},
        )
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    response = client.post(
        "/admin/organisations/new",
        data={"name": "Nieuw", "slug": "zaanstad", "kind": "overig", "domains": ""},
    )
    assert "al in gebruik" in response.get_data(as_text=True)
    response = client.post(
        "/admin/organisations/new", data={"name": "Nieuw", "slug": "x", "kind": "planeet"}
    )
    assert 'id="kind-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Nieuw")) is None


def test_admin_creates_an_organisation(client, db, logged_in):
    logged_in(platform_role="admin")
    client.post(
        "/admin/organisations/new",
        data={
            "name": "Woonbron",
            "slug": "woonbron",
            "kind": "woningcorporatie",
            "domains": "woonbron.nl",
        },
    )
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "woonbron"))
    assert organisation.kind == "woningcorporatie"
    assert [d.domain for d in organisation.domains] == ["woonbron.nl"]


def test_account_list_runs_a_bounded_number_of_queries(app, client, logged_in, make_user):
    from tests.conftest import count_queries

    logged_in(platform_role="admin")
    for _ in range(3):
        make_user(status="pending")
    with count_queries(app) as few:
        assert client.get("/admin/accounts").status_code == 200
    for _ in range(20):
        make_user(status="pending")
    with count_queries(app) as many:
        assert client.get("/admin/accounts").status_code == 200
    assert len(many) == len(few)
    with count_queries(app) as organisations:
        assert client.get("/admin/organisations").status_code == 200
    assert len(organisations) <= len(few) + 1


def test_suspension_with_a_reason_and_reactivation(app, client, db, logged_in, make_user):
    member = make_user()
    logged_in(platform_role="admin")
    client.post(f"/admin/accounts/{member.id}/suspend", data={"reason": "Misbruik"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.suspended"))
    assert event.data["reason"] == "Misbruik"
    client.post(f"/admin/accounts/{member.id}/reactivate", data={"reason": ""})
    assert db.session.get(User, member.id).status == "suspended"
    client.post(f"/admin/accounts/{member.id}/reactivate", data={"reason": "Opgehelderd"})
    assert db.session.get(User, member.id).status == "active"
    assert login(app.test_client(), member.email).status_code == 302
