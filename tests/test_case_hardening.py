"""Regression tests for the review of the case feature: each once let something slip."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from community.models import Case, CaseRevision, Contribution, ExpertRequest, Notification
from community.models.base import utcnow
from tests.conftest import login


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Kring")
    author, member, expert, moderator = make_user(), make_user(), make_user(), make_user()
    make_membership(author, community)
    make_membership(member, community)
    make_membership(expert, community, role="expert")
    make_membership(moderator, community, role="moderator")
    return community, author, member, expert, moderator


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_refused_attachment_leaves_no_contribution(app, client, db, tmp_path, kring, make_case):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    data = {
        "kind": "question",
        "body": "Met bijlage",
        "idempotency_key": "k1",
        "attachment": (io.BytesIO(b"MZ\x90\x00fake"), "x.pdf"),
    }
    response = client.post(
        f"/c/{community.slug}/cases/{case.id}/contributions",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert _count(db, Contribution) == 0
    assert _count(db, Notification) == 0
    pdf = b"%PDF-1.4\n%%EOF\n"
    data["attachment"] = (io.BytesIO(pdf), "x.pdf")
    client.post(
        f"/c/{community.slug}/cases/{case.id}/contributions",
        data=data,
        content_type="multipart/form-data",
    )
    assert _count(db, Contribution) == 1


def test_worker_reports_overdue_requests_and_delivers(app, db, runner, kring, make_case):
    community, author, _member, expert, moderator = kring
    case = make_case(community, author, phase="advice")
    closed = make_case(community, author, phase="closed")
    for target in (case, closed):
        db.session.add(
            ExpertRequest(
                case_id=target.id,
                expert_id=expert.id,
                requested_by_id=author.id,
                due_on=date(2020, 1, 1),
            )
        )
    db.session.commit()
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Handled 1 overdue expert requests." in result.output
    notes = db.session.scalars(
        select(Notification).where(Notification.recipient_id == moderator.id)
    ).all()
    assert [(n.kind, n.data["case_id"]) for n in notes] == [("expert_request_overdue", case.id)]
    assert runner.invoke(args=["worker", "--once"]).exit_code == 0
    assert _count(db, Notification, Notification.recipient_id == moderator.id) == 1


def test_edit_without_version_is_a_conflict(client, db, kring, make_case):
    community, author, *_ = kring
    case = make_case(community, author, title="Oud")
    login(client, author.email)
    response = client.post(
        f"/c/{community.slug}/cases/{case.id}/edit",
        data={"title": "Nieuw", "theme": 0, "context": "c", "question": "q"},
    )
    assert response.status_code == 409
    db.session.refresh(case)
    assert case.title == "Oud"


def test_draft_edits_leave_no_history(client, db, kring, make_case):
    community, author, *_ = kring
    case = make_case(community, author, phase="draft", context="GEHEIM-CONCEPT")
    login(client, author.email)
    client.post(
        f"/c/{community.slug}/cases/{case.id}/edit",
        data={"title": "T", "theme": 0, "context": "schoon", "question": "q", "version": 1},
    )
    client.post(f"/c/{community.slug}/cases/{case.id}/phase", data={"phase": "questions"})
    assert _count(db, CaseRevision) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/c/{slug}/cases/99999999999999999999",
        "/files/99999999999999999999",
        "/c/{slug}?page=99999999999999999999",
        "/notifications?page=99999999999999999999",
        "/people/99999999999999999999",
    ],
)
def test_huge_numbers_are_not_a_500(client, kring, path):
    community, author, *_ = kring
    login(client, author.email)
    assert client.get(path.format(slug=community.slug)).status_code in {200, 404}


def test_huge_form_numbers_are_form_errors(client, db, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    response = client.post(
        f"/c/{community.slug}/cases/{case.id}/contributions",
        data={"kind": "question", "body": "x", "parent_id": "9" * 30},
    )
    assert response.status_code == 200
    assert client.post("/notifications/read", data={"id": "9" * 30}).status_code == 302


def test_title_with_line_breaks_gives_one_line_subjects(client, db, outbox, kring):
    community, author, member, *_ = kring
    login(client, author.email)
    client.post(
        f"/c/{community.slug}/cases/new",
        data={
            "title": "Hallo\r\nBcc: x@evil.example",
            "theme": 0,
            "context": "c",
            "question": "q",
            "action": "publish",
        },
    )
    assert db.session.scalar(select(Case.title)) == "Hallo Bcc: x@evil.example"
    mail = next(m for m in outbox if m["To"] == member.email)
    assert "\n" not in mail["Subject"]
    assert mail["Bcc"] is None


def test_double_submitted_case_is_created_once(client, db, kring):
    community, author, *_ = kring
    login(client, author.email)
    data = {
        "title": "T",
        "theme": 0,
        "context": "c",
        "question": "q",
        "action": "publish",
        "idempotency_key": "same-key",
    }
    first = client.post(f"/c/{community.slug}/cases/new", data=data)
    second = client.post(f"/c/{community.slug}/cases/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(db, Case) == 1


def test_admin_does_not_see_case_titles_of_communities_they_left(
    client, db, kring, make_user, make_membership, make_case
):
    from flask import current_app

    from community.notifications.services import notify

    community, author, *_ = kring
    admin = make_user(platform_role="admin")
    membership = make_membership(admin, community, role="moderator")
    case = make_case(community, author, title="GEHEIME-TITEL")
    with current_app.test_request_context():
        notify(
            admin,
            "expert_request_overdue",
            community=community,
            target=case,
            case_id=case.id,
            case_title=case.title,
            email=False,
        )
        db.session.commit()
    login(client, admin.email)
    assert "GEHEIME-TITEL" in client.get("/notifications").get_data(as_text=True)
    membership.status = "left"
    db.session.commit()
    assert "GEHEIME-TITEL" not in client.get("/notifications").get_data(as_text=True)


def test_forbidden_kind_is_403_even_with_a_bad_form(client, db, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    url = f"/c/{community.slug}/cases/{case.id}/contributions"
    assert client.post(url, data={"kind": "advice", "body": ""}).status_code == 403
    assert (
        client.post(url, data={"kind": "advice", "body": "x", "action": "preview"}).status_code
        == 403
    )
    assert client.post(url, data={"kind": "bogus", "body": "x"}).status_code == 403
    assert _count(db, Contribution) == 0


def test_idempotency_key_is_per_case(client, db, kring, make_case):
    community, author, member, *_ = kring
    first = make_case(community, author, phase="questions")
    second = make_case(community, author, phase="questions")
    login(client, member.email)
    for case in (first, second):
        client.post(
            f"/c/{community.slug}/cases/{case.id}/contributions",
            data={"kind": "question", "body": "Vraag", "idempotency_key": "zelfde"},
        )
    assert _count(db, Contribution, Contribution.case_id == second.id) == 1


def test_due_date_in_the_past_is_refused(client, db, kring, make_case):
    community, author, _member, expert, _ = kring
    case = make_case(community, author, phase="questions")
    login(client, author.email)
    yesterday = (utcnow() - timedelta(days=2)).date().isoformat()
    client.post(
        f"/c/{community.slug}/cases/{case.id}/experts",
        data={"experts": [expert.id], "due_on": yesterday},
    )
    assert _count(db, ExpertRequest) == 0
