"""Contributions: the phase rules enforced on POST, replies, edits, valuable, idempotency."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.models import Contribution, ContributionRevision, ExpertRequest, Notification
from tests.conftest import login


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Kring", method="incident")
    author = make_user(name="Inbrenger")
    member = make_user(name="Lid")
    expert = make_user(name="Deskundige Dirk")
    moderator = make_user(name="Mo")
    make_membership(author, community)
    make_membership(member, community)
    make_membership(expert, community, role="expert")
    make_membership(moderator, community, role="moderator")
    return community, author, member, expert, moderator


def _post(client, community, case, kind, body="Een bijdrage", **extra):
    return client.post(
        f"/c/{community.slug}/cases/{case.id}/contributions",
        data={"kind": kind, "body": body, **extra},
    )


def _count(db, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution).where(*where))


def test_questions_phase_accepts_questions_and_refuses_advice(client, db, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert 'value="question"' in page
    assert 'value="advice"' not in page
    assert _post(client, community, case, "question", "Hoeveel panden?").status_code == 302
    assert _post(client, community, case, "advice", "Doe dit!").status_code == 403
    assert _post(client, community, case, "answer").status_code == 403
    assert _count(db) == 1


def test_author_answers_and_listens_in_the_advice_round(
    client, db, kring, make_case, make_contribution
):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    login(client, author.email)
    assert (
        _post(client, community, case, "answer", "Twintig.", parent_id=question.id).status_code
        == 302
    )
    answer = db.session.scalar(select(Contribution).where(Contribution.kind == "answer"))
    assert answer.parent_id == question.id
    case.phase = "advice"
    db.session.commit()
    assert _post(client, community, case, "comment").status_code == 403
    page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert "In deze fase kun jij geen bijdrage plaatsen." in page


def test_replies_are_one_level_and_stay_in_the_case(
    client, db, kring, make_case, make_contribution
):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    other_case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    reply = make_contribution(case, author, kind="answer", parent_id=question.id)
    foreign = make_contribution(other_case, member, kind="question")
    login(client, member.email)
    for parent in (reply.id, foreign.id, 999999):
        response = _post(client, community, case, "comment", "Reactie", parent_id=parent)
        assert response.status_code == 200
        assert "alleen reageren op een bijdrage bij deze casus" in response.get_data(as_text=True)
    assert _count(db, Contribution.author_id == member.id) == 2  # the two made by the factory


def test_expert_advice_answers_the_request_and_shows_the_badge(
    client, db, outbox, kring, make_case
):
    community, author, member, expert, moderator = kring
    case = make_case(community, author, phase="questions")
    login(client, author.email)
    response = client.post(
        f"/c/{community.slug}/cases/{case.id}/experts",
        data={"experts": [expert.id], "due_on": "2099-01-31"},
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(select(Notification.kind).where(Notification.recipient_id == expert.id))
        == "expert_requested"
    )
    assert any(m["To"] == expert.email for m in outbox)
    client.post("/logout")
    login(client, expert.email)
    assert case.title in client.get("/advice-requests").get_data(as_text=True)
    case.phase = "advice"
    db.session.commit()
    assert (
        _post(client, community, case, "expert_advice", "Mijn deskundig advies").status_code == 302
    )
    assert db.session.scalar(select(ExpertRequest.answered_at)) is not None
    assert case.title not in client.get("/advice-requests").get_data(as_text=True)
    page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert "Deskundige" in page
    assert "Deskundig advies" in page
    kinds = set(
        db.session.scalars(select(Notification.kind).where(Notification.recipient_id == author.id))
    )
    assert "expert_advice_given" in kinds
    client.post("/logout")
    login(client, member.email)
    assert _post(client, community, case, "expert_advice").status_code == 403


def test_consult_method_lets_only_experts_advise(client, db, kring, make_case):
    community, author, member, expert, _ = kring
    community.method = "consult"
    db.session.commit()
    case = make_case(community, author, phase="advice")
    login(client, member.email)
    assert _post(client, community, case, "advice").status_code == 403
    assert _post(client, community, case, "comment").status_code == 302
    client.post("/logout")
    login(client, expert.email)
    assert _post(client, community, case, "advice").status_code == 302


def test_edit_within_the_phase_shows_the_edit(client, db, kring, make_case, make_contribution):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question", body="Eerste versie")
    url = f"/c/{community.slug}/cases/{case.id}/contributions/{question.id}/edit"
    login(client, member.email)
    client.post(url, data={"body": "Tweede versie"})
    db.session.refresh(question)
    assert question.body == "Tweede versie"
    assert question.edited_at is not None
    assert db.session.scalar(select(ContributionRevision.body)) == "Eerste versie"
    assert "bewerkt op" in client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    case.phase = "advice"
    db.session.commit()
    assert client.post(url, data={"body": "Te laat"}).status_code == 403
    client.post("/logout")
    login(client, author.email)
    assert client.get(url).status_code == 403


def test_valuable_and_reflection_and_the_outcome(client, db, kring, make_case, make_contribution):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="advice")
    advice = make_contribution(case, member, kind="advice", body="Begin met een pandeigenarenavond")
    url = f"/c/{community.slug}/cases/{case.id}/contributions/{advice.id}/valuable"
    login(client, author.email)
    assert client.post(url).status_code == 403  # only in the reflection phase
    case.phase = "reflection"
    db.session.commit()
    client.post(url, data={"valuable": "1"})
    client.post(url, data={"valuable": "1"})  # a double click keeps it marked
    db.session.refresh(advice)
    assert advice.valuable is True
    assert (
        _post(client, community, case, "reflection", "Ik organiseer de avond in maart.").status_code
        == 302
    )
    client.post(f"/c/{community.slug}/cases/{case.id}/phase", data={"phase": "closed"})
    page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert "Opbrengst" in page
    assert "Ik organiseer de avond in maart." in page
    assert page.index("Opbrengst") < page.index("Wat speelt er?")
    client.post("/logout")
    login(client, member.email)
    assert client.post(url).status_code == 403


def test_double_submit_creates_one_contribution(client, db, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    for _ in range(2):
        response = _post(client, community, case, "question", "Eén vraag", idempotency_key="abc123")
        assert response.status_code == 302
    assert _count(db) == 1


def test_preview_renders_without_saving(client, db, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    response = _post(
        client, community, case, "question", "**Vet** <script>x</script>", action="preview"
    )
    html = response.get_data(as_text=True)
    assert "<strong>Vet</strong>" in html
    assert "<script>x" not in html
    assert "**Vet**" in html  # the text stays in the form
    assert _count(db) == 0


def test_contribution_notifications_carry_the_title_not_the_body(
    client, db, outbox, kring, make_case, make_contribution
):
    community, author, member, expert, _ = kring
    case = make_case(community, author, phase="questions", title="Lege panden")
    make_contribution(case, expert, kind="question")
    login(client, member.email)
    _post(client, community, case, "question", "GEHEIME-INHOUD van de vraag")
    recipients = set(
        db.session.scalars(
            select(Notification.recipient_id).where(Notification.kind == "contribution_added")
        )
    )
    assert recipients == {author.id, expert.id}
    for message in outbox:
        assert "GEHEIME-INHOUD" not in message.get_content()
    assert any("Lege panden" in m.get_content() for m in outbox)


def test_email_preference_off_sends_no_mail(client, db, outbox, kring, make_case):
    community, author, member, *_ = kring
    author.email_mode = "none"
    db.session.commit()
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    _post(client, community, case, "question")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == author.id)
        )
        == 1
    )
    assert all(m["To"] != author.email for m in outbox)


def test_overdue_requests_are_reported_to_moderators(app, db, kring, make_case):
    from datetime import date

    from community.cases.experts import notify_overdue

    community, author, _member, expert, moderator = kring
    case = make_case(community, author, phase="questions")
    db.session.add(
        ExpertRequest(
            case_id=case.id, expert_id=expert.id, requested_by_id=author.id, due_on=date(2026, 1, 1)
        )
    )
    db.session.commit()
    with app.test_request_context():
        assert notify_overdue(date(2026, 1, 2)) == 1
        db.session.commit()
        assert notify_overdue(date(2026, 1, 3)) == 0
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.recipient_id == moderator.id)
    ).all()
    assert kinds == ["expert_request_overdue"]
