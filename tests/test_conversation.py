"""Conversation on the case page: the reply page, @mentions, appreciations, the preview."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import func, select

from community import markdown
from community.cases.mentions import find_mentions
from community.models import Appreciation, Contribution, Notification
from tests.conftest import count_queries, login


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community(name="Kring", method="incident")
    author = make_user(name="Ina Inbrenger")
    member = make_user(name="Lotte de Vries")
    other = make_user(name="Lotte")  # a shorter name that the longer one starts with
    expert = make_user(name="Dirk Deskundige")
    make_membership(author, community)
    make_membership(member, community)
    make_membership(other, community)
    make_membership(expert, community, role="expert")
    return community, author, member, other, expert


def _case_url(community, case) -> str:
    return f"/c/{community.slug}/cases/{case.id}"


def _post(client, community, case, kind, body, **extra):
    return client.post(
        f"{_case_url(community, case)}/contributions", data={"kind": kind, "body": body, **extra}
    )


def _notifications(db, kind):
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


# Reply in place ----------------------------------------------------------------


def test_the_case_page_links_each_repliable_contribution_to_its_reply_page(
    client, kring, make_case, make_contribution
):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    reply = make_contribution(case, author, kind="answer", parent_id=question.id)
    held = make_contribution(case, member, kind="question", pending_review=True)
    login(client, author.email)
    page = client.get(_case_url(community, case)).get_data(as_text=True)
    reply_url = f"{_case_url(community, case)}/contributions/{{}}/reply"
    assert f'href="{reply_url.format(question.id)}" data-reply="{question.id}"' in page
    assert reply_url.format(reply.id) not in page  # one level of threading
    assert reply_url.format(held.id) not in page
    assert 'id="parent_id"' not in page  # the parent dropdown is gone
    assert '<select class="utrecht-select utrecht-select--html-select" id="parent_id"' not in page


def test_the_reply_page_shows_the_contribution_and_a_form_that_posts_the_reply(
    client, db, kring, make_case, make_contribution
):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question", body="Hoeveel panden staan leeg?")
    login(client, author.email)
    response = client.get(f"{_case_url(community, case)}/contributions/{question.id}/reply")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hoeveel panden staan leeg?" in page
    assert f'name="parent_id" value="{question.id}"' in page
    assert f'action="{_case_url(community, case)}/contributions#bijdragen"' in page
    assert "Geef je antwoord" in page  # the author answers: the button says so
    response = _post(client, community, case, "answer", "Twintig.", parent_id=question.id)
    answer = db.session.scalar(select(Contribution).where(Contribution.kind == "answer"))
    assert answer.parent_id == question.id
    assert response.headers["Location"].endswith(f"#bijdrage-{answer.id}")


def test_a_failed_reply_comes_back_on_the_reply_page_with_the_text_kept(
    client, db, kring, make_case, make_contribution
):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question", body="Welke wijk?")
    login(client, author.email)
    too_long = "x" * 20001
    response = _post(client, community, case, "answer", too_long, parent_id=question.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Reageren op een bijdrage" in page
    assert "Welke wijk?" in page
    assert f'name="parent_id" value="{question.id}"' in page
    assert 'class="utrecht-alert utrecht-alert--error error-summary"' in page
    assert too_long in page
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 1


@pytest.mark.parametrize(
    ("phase", "viewer", "target", "status"),
    [
        ("advice", "author", "member", 403),  # the owner listens in the advice round
        ("questions", "member", "reply", 403),  # no reply to a reply
        ("questions", "member", "held", 404),  # held for a moderator: not there for others
        ("closed", "member", "member", 403),  # read-only
    ],
)
def test_the_reply_page_follows_the_phase_rules(
    client, kring, make_case, make_contribution, phase, viewer, target, status
):
    community, author, member, other, _expert = kring
    case = make_case(community, author, phase=phase)
    first = make_contribution(case, member, kind="comment")
    contributions = {
        "member": first,
        "reply": make_contribution(case, author, kind="comment", parent_id=first.id),
        "held": make_contribution(case, other, kind="comment", pending_review=True),
    }
    login(client, {"author": author, "member": member}[viewer].email)
    url = f"{_case_url(community, case)}/contributions/{contributions[target].id}/reply"
    assert client.get(url).status_code == status


def test_outsiders_get_404_on_the_reply_page(
    client, kring, make_case, make_contribution, make_user
):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    login(client, make_user().email)
    assert (
        client.get(f"{_case_url(community, case)}/contributions/{question.id}/reply").status_code
        == 404
    )


def test_the_submit_button_says_what_is_posted(client, kring, make_case):
    community, author, member, _other, expert = kring
    questions = make_case(community, author, phase="questions")
    advice = make_case(community, author, phase="advice")
    login(client, member.email)
    assert "Stel je vraag" in client.get(_case_url(community, questions)).get_data(as_text=True)
    page = client.get(_case_url(community, advice)).get_data(as_text=True)
    assert re.search(r"data-submit-button>\s*Geef advies<", page)
    assert 'data-submit-label="Reactie plaatsen"' in page  # the script follows the kind
    client.post("/logout")
    login(client, expert.email)
    page = client.get(_case_url(community, advice)).get_data(as_text=True)
    assert 'data-submit-label="Geef deskundig advies"' in page


def test_the_form_has_markdown_help_preview_and_the_script(client, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    page = client.get(_case_url(community, case)).get_data(as_text=True)
    assert '<details class="markdown-help">' in page
    assert f'data-preview-url="{_case_url(community, case)}/contributions/preview"' in page
    assert f'data-draft-key="leerkring-draft-case-{case.id}"' in page
    assert re.search(r'<script src="/static/js/conversation\.[0-9a-f]{12}\.js" defer>', page)


# Preview -----------------------------------------------------------------------


def test_the_preview_renders_with_the_stored_pipeline(client, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    body = "**Vet** <script>alert(1)</script> [x](javascript:alert(1))"
    response = client.post(
        f"{_case_url(community, case)}/contributions/preview", data={"body": body}
    )
    assert response.status_code == 200
    assert response.json == {"html": markdown.render(body)}
    assert "<strong>Vet</strong>" in response.json["html"]
    assert "<script" not in response.json["html"]
    assert 'href="javascript' not in response.json["html"]


def test_the_preview_links_mentioned_members(client, kring, make_case):
    community, author, member, _other, expert = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    response = client.post(
        f"{_case_url(community, case)}/contributions/preview", data={"body": "@Dirk Deskundige?"}
    )
    assert f'<a href="/people/{expert.id}"' in response.json["html"]


def test_the_preview_needs_the_right_to_post_and_membership(client, kring, make_case, make_user):
    community, author, member, *_ = kring
    advice = make_case(community, author, phase="advice")
    login(client, author.email)  # the owner listens in the advice round
    url = f"{_case_url(community, advice)}/contributions/preview"
    assert client.post(url, data={"body": "x"}).status_code == 403
    client.post("/logout")
    login(client, make_user().email)
    assert client.post(url, data={"body": "x"}).status_code == 404
    client.post("/logout")
    assert client.post(url, data={"body": "x"}).headers["Location"].startswith("/login")


def test_the_preview_refuses_a_post_without_csrf_token(app, client, kring, make_case):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            f"{_case_url(community, case)}/contributions/preview", data={"body": "x"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400


# Mentions ------------------------------------------------------------------------


def test_mentions_match_members_longest_name_first(db, kring, make_user, make_community):
    community, _author, member, other, expert = kring
    stranger = make_user(name="Sam Buiten")
    found = find_mentions(
        community,
        "Dank @Lotte de Vries en @lotte! Ook @Dirk Deskundige, @Sam Buiten, "
        "`@Ina Inbrenger` (code) en mail lotte@org.example @Niemand Bekend",
    )
    assert found.member_ids == {member.id, other.id, expert.id}
    assert found.outsiders == ["Sam Buiten"]
    assert stranger.id not in found.member_ids


def test_a_mentioned_member_is_notified_and_linked(client, db, outbox, kring, make_case):
    community, author, member, other, expert = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    response = _post(client, community, case, "question", "Wat denk jij, @Dirk Deskundige?")
    assert response.status_code == 302
    mention = _notifications(db, "mention")
    assert [n.recipient_id for n in mention] == [expert.id]
    contribution = db.session.scalar(select(Contribution))
    assert mention[0].data["contribution_id"] == contribution.id
    assert f'<a href="/people/{expert.id}"' in contribution.body_html
    assert ">@Dirk Deskundige</a>" in contribution.body_html
    # The author of the case hears of the contribution, the mentioned expert only once.
    added = _notifications(db, "contribution_added")
    assert [n.recipient_id for n in added] == [author.id]
    assert any(m["To"] == expert.email and "noemde je" in m["Subject"] for m in outbox), [
        m["Subject"] for m in outbox
    ]


def test_mentioning_someone_outside_the_community_notifies_nobody_and_says_so(
    client, db, kring, make_case, make_user, make_community, make_membership
):
    community, author, member, *_ = kring
    elsewhere = make_community()
    outsider = make_user(name="Olga Buiten")
    make_membership(outsider, elsewhere)
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    response = _post(client, community, case, "question", "Vraag het @Olga Buiten eens.")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Olga Buiten is geen lid van deze leergemeenschap en kreeg geen melding." in page
    assert not [n for n in _notifications(db, "mention")]
    assert not db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == outsider.id)
    )
    contribution = db.session.scalar(select(Contribution))
    assert f"/people/{outsider.id}" not in contribution.body_html  # no link for non-members


def test_a_held_contribution_notifies_the_mentioned_once_approved(
    client, db, kring, make_case, make_user, make_membership
):
    community, author, _member, _other, expert = kring
    community.review_new_members = True
    db.session.commit()
    newcomer = make_user(name="Nieuw Lid")
    make_membership(newcomer, community)
    moderator = make_user(totp_secret=pyotp.random_base32())
    make_membership(moderator, community, role="moderator")
    case = make_case(community, author, phase="questions")
    login(client, newcomer.email)
    assert _post(client, community, case, "question", "Hoi @Dirk Deskundige").status_code == 302
    assert not _notifications(db, "mention")  # held: nobody hears of it yet
    contribution = db.session.scalar(select(Contribution))
    client.post("/logout")
    login(client, moderator.email)
    client.post(f"/moderation/contribution/{contribution.id}/approve")
    assert [n.recipient_id for n in _notifications(db, "mention")] == [expert.id]


# Appreciation ----------------------------------------------------------------------


def _appreciate(client, community, case, contribution, value="1"):
    return client.post(
        f"{_case_url(community, case)}/contributions/{contribution.id}/appreciate",
        data={"appreciated": value},
    )


def _appreciations(db) -> int:
    return int(db.session.scalar(select(func.count()).select_from(Appreciation)) or 0)


def test_a_member_appreciates_and_withdraws_and_the_count_shows(
    client, db, kring, make_case, make_contribution
):
    community, author, member, other, _expert = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    login(client, other.email)
    response = _appreciate(client, community, case, question)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#bijdrage-{question.id}")
    assert _appreciate(client, community, case, question).status_code == 302  # a double submit
    assert _appreciations(db) == 1
    page = client.get(_case_url(community, case)).get_data(as_text=True)
    assert 'aria-pressed="true"' in page
    assert "1 waardering" in page
    assert _appreciate(client, community, case, question, "0").status_code == 302
    assert _appreciations(db) == 0
    page = client.get(_case_url(community, case)).get_data(as_text=True)
    assert 'aria-pressed="false"' in page
    assert "waardering" not in page


def test_the_count_adds_up_and_is_apart_from_valuable(
    client, db, kring, make_case, make_contribution
):
    community, author, member, other, expert = kring
    case = make_case(community, author, phase="reflection")
    advice = make_contribution(case, member, kind="advice", phase="advice")
    for person in (other, expert, author):
        login(client, person.email)
        assert _appreciate(client, community, case, advice).status_code == 302
        client.post("/logout")
    assert _appreciations(db) == 3
    db.session.refresh(advice)
    assert advice.valuable is False
    login(client, member.email)
    page = client.get(_case_url(community, case)).get_data(as_text=True)
    assert "3 waarderingen" in page
    assert 'class="utrecht-button utrecht-button--subtle link-button appreciate-button"' not in page


def test_no_appreciation_of_ones_own_contribution(client, db, kring, make_case, make_contribution):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    login(client, member.email)
    assert _appreciate(client, community, case, question).status_code == 403
    assert _appreciations(db) == 0


def test_outsiders_get_404_and_former_members_too(
    client, db, kring, make_case, make_contribution, make_user, make_membership
):
    community, author, member, *_ = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    outsider = make_user()
    login(client, outsider.email)
    assert _appreciate(client, community, case, question).status_code == 404
    client.post("/logout")
    former = make_user()
    make_membership(former, community, status="left")
    login(client, former.email)
    assert _appreciate(client, community, case, question).status_code == 404
    assert _appreciations(db) == 0


def test_held_and_hidden_contributions_are_not_appreciated(
    client, db, kring, make_case, make_contribution
):
    community, author, member, other, _expert = kring
    case = make_case(community, author, phase="questions")
    held = make_contribution(case, member, kind="question", pending_review=True)
    hidden = make_contribution(case, member, kind="question")
    from community.models.base import utcnow

    hidden.hidden_at = utcnow()
    hidden.hidden_reason = "Persoonsgegevens"
    db.session.commit()
    login(client, other.email)
    assert _appreciate(client, community, case, held).status_code == 404
    assert _appreciate(client, community, case, hidden).status_code == 404
    assert _appreciations(db) == 0


def test_appreciation_without_csrf_token_is_refused(
    app, client, db, kring, make_case, make_contribution
):
    community, author, member, other, _expert = kring
    case = make_case(community, author, phase="questions")
    question = make_contribution(case, member, kind="question")
    login(client, other.email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert _appreciate(client, community, case, question).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _appreciations(db) == 0


def test_the_case_page_costs_the_same_with_few_or_many_appreciations(
    app, client, db, kring, make_case, make_contribution, make_user, make_membership
):
    """Counts and the viewer's own appreciation come with the contributions' one query."""
    community, author, member, other, _expert = kring
    login(client, other.email)

    def statements(n: int) -> int:
        case = make_case(community, author, phase="questions")
        for i in range(n):
            contribution = make_contribution(case, member, kind="question")
            if i % 2:
                parent = contribution
                make_contribution(case, author, kind="answer", parent_id=parent.id)
            for person in (author, other)[: 1 + i % 2]:
                db.session.add(Appreciation(contribution_id=contribution.id, user_id=person.id))
        db.session.commit()
        url = _case_url(community, case)
        client.get(url)
        with count_queries(app) as recorded:
            page = client.get(url).get_data(as_text=True)
        assert page.count("appreciate-button") == n + n // 2  # questions and answers
        assert page.count('aria-pressed="true"') == n // 2  # where the viewer gave one
        return len(recorded)

    assert statements(3) == statements(30)
