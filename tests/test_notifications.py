"""The notification centre: unread count, mark read, and nothing from communities you left."""

from __future__ import annotations

from sqlalchemy import select

from community.models import Notification
from tests.conftest import count_queries, login


def _notify(app, recipient, kind, community, **data):
    from community.notifications.services import notify

    with app.test_request_context():
        notify(recipient, kind, community=community, email=False, **data)
        from community.extensions import db

        db.session.commit()


def test_centre_lists_counts_and_marks_read(
    app, client, db, logged_in, make_community, make_membership
):
    user = logged_in()
    community = make_community(name="Kring")
    make_membership(user, community)
    _notify(app, user, "request_approved", community)
    _notify(app, user, "role_changed", community, role="expert")
    home = client.get("/").get_data(as_text=True)
    assert '2<span class="visually-hidden"> ongelezen' in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "Je aanvraag voor Kring is goedgekeurd" in page
    assert "deskundige" in page
    first = db.session.scalars(select(Notification).order_by(Notification.id)).first()
    client.post("/notifications/read", data={"id": first.id})
    assert '1<span class="visually-hidden"> ongelezen' in client.get("/").get_data(as_text=True)
    client.post("/notifications/read")
    assert "ongelezen" not in client.get("/").get_data(as_text=True)


def test_opening_a_notification_marks_it_read_and_leads_to_it(
    app, client, db, logged_in, make_user, make_community, make_membership
):
    user = logged_in()
    community = make_community(name="Kring")
    make_membership(user, community)
    _notify(app, user, "request_approved", community)
    _notify(app, user, "role_changed", community, role="expert")
    first, second = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    page = client.get("/notifications").get_data(as_text=True)
    assert f'href="/notifications/{first.id}/open"' in page
    response = client.get(f"/notifications/{first.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{community.slug}"
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.read_at is not None
    assert second.read_at is None  # only the one opened
    assert '1<span class="visually-hidden"> ongelezen' in client.get("/").get_data(as_text=True)
    read_at = first.read_at
    client.get(f"/notifications/{first.id}/open")  # again: still read, the first moment kept
    db.session.refresh(first)
    assert first.read_at == read_at
    # Someone else's notification, or none at all: the same 404, and nothing read.
    other = make_user()
    _notify(app, other, "request_approved", community)
    theirs = db.session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    assert client.get(f"/notifications/{theirs.id}/open").status_code == 404
    assert client.get("/notifications/999999/open").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_cannot_mark_someone_elses_notification(
    app, client, db, logged_in, make_user, make_community
):
    other = make_user()
    community = make_community()
    _notify(app, other, "request_approved", community)
    logged_in()
    note = db.session.scalar(select(Notification))
    client.post("/notifications/read", data={"id": note.id})
    db.session.refresh(note)
    assert note.read_at is None


def test_moderator_notifications_disappear_with_the_role(
    app, client, db, logged_in, make_community, make_membership, make_user
):
    moderator = logged_in()
    community = make_community(name="Geheime Kring", visibility="secret")
    membership = make_membership(moderator, community, role="moderator")
    _notify(app, moderator, "join_requested", community)
    assert "Geheime Kring" in client.get("/notifications").get_data(as_text=True)
    membership.status = "removed"
    db.session.commit()
    page = client.get("/notifications").get_data(as_text=True)
    assert "Geheime Kring" not in page
    assert "ongelezen" not in client.get("/").get_data(as_text=True)


def test_notification_list_queries_do_not_grow(
    app, client, logged_in, make_community, make_membership
):
    user = logged_in()
    community = make_community()
    make_membership(user, community)
    _notify(app, user, "request_approved", community)
    with count_queries(app) as few:
        client.get("/notifications")
    for _ in range(20):
        _notify(app, user, "role_changed", make_community(), role="member")
    with count_queries(app) as many:
        client.get("/notifications")
    assert len(many) == len(few)


def test_removed_user_mail_and_notification_carry_no_content(
    app, client, db, outbox, make_community, make_membership, make_user
):
    community = make_community(name="Kring", description="Vertrouwelijke inhoud")
    moderator = make_user()
    make_membership(moderator, community, role="moderator")
    member = make_user()
    make_membership(member, community)
    login(client, moderator.email)
    client.post(f"/c/{community.slug}/members/{member.id}/remove", data={"reason": "interne reden"})
    mail = outbox[-1]
    assert mail["To"] == member.email
    body = mail.get_content()
    assert "Kring" in body
    assert "Vertrouwelijke" not in body
    assert "interne reden" not in body


def test_centre_pages_on_with_a_keyset(app, client, db, make_user, make_community, make_membership):
    """Older notifications page by page after the last one shown; no count of them all."""
    from datetime import timedelta

    from community.models.base import utcnow

    user, other = make_user(), make_user()
    community = make_community()
    make_membership(user, community)
    make_membership(other, community)
    start = utcnow() - timedelta(days=1)
    for _n in range(30):
        _notify(app, user, "request_approved", community)
    rows = list(
        db.session.scalars(select(Notification).where(Notification.recipient_id == user.id))
    )
    for n, row in enumerate(sorted(rows, key=lambda r: r.id)):
        row.created_at = start + timedelta(minutes=n % 10)  # equal times: the id decides
    db.session.commit()
    newest_first = sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)
    login(client, user.email)

    def ids(html: str) -> list[int]:
        import re

        return [int(i) for i in re.findall(r'name="id" value="(\d+)"', html)]

    first = client.get("/notifications").get_data(as_text=True)
    assert ids(first) == [r.id for r in newest_first[:25]]
    assert f"before={newest_first[24].id}" in first
    second = client.get(f"/notifications?before={newest_first[24].id}").get_data(as_text=True)
    assert ids(second) == [r.id for r in newest_first[25:]]
    assert "Oudere meldingen" not in second
    assert "Nieuwste meldingen" in second
    # Someone else's notification as the keyset shows nothing of theirs, and no error.
    _notify(app, other, "request_approved", community)
    theirs = db.session.scalar(select(Notification).where(Notification.recipient_id == other.id))
    response = client.get(f"/notifications?before={theirs.id}")
    assert response.status_code == 200
    assert ids(response.get_data(as_text=True)) == []
    for nonsense in ("abc", "-1", "0", "99999999999999999999"):
        assert ids(client.get(f"/notifications?before={nonsense}").get_data(as_text=True)) == [
            r.id for r in newest_first[:25]
        ]


def test_header_counts_unread_up_to_a_bound(
    app, client, make_user, make_community, make_membership, monkeypatch
):
    from community.notifications import services

    user = make_user()
    community = make_community()
    make_membership(user, community)
    monkeypatch.setattr(services, "UNREAD_SHOWN", 2)
    login(client, user.email)
    for _n in range(2):
        _notify(app, user, "request_approved", community)
    assert '<span class="count-badge">2<' in client.get("/").get_data(as_text=True)
    for _n in range(2):
        _notify(app, user, "request_approved", community)
    assert '<span class="count-badge">2+<' in client.get("/").get_data(as_text=True)
    assert services.unread_count(user) == 3  # counted up to the bound plus one


def test_a_notification_without_a_target_stays_while_a_case_elsewhere_is_hidden(
    app, client, db, logged_in, make_user, make_community, make_membership, make_case
):
    """A handled report has no target; a hidden case anywhere must not make it vanish."""
    from community.models.base import utcnow
    from community.notifications import services

    user = logged_in()
    community = make_community(name="Kring")
    make_membership(user, community)
    elsewhere = make_community()
    hidden = make_case(elsewhere, make_user(), hidden_at=utcnow(), hidden_reason="Herleidbaar")
    assert hidden.hidden_at is not None
    _notify(app, user, "flag_handled", community, status="resolved")
    assert db.session.scalar(select(Notification)).target_type is None
    assert services.unread_count(user) == 1
    assert '1<span class="visually-hidden"> ongelezen' in client.get("/").get_data(as_text=True)
    rows, _older = services.notifications_page(user)
    assert [n.kind for n in rows] == ["flag_handled"]


def test_notifying_many_members_at_once_is_notifying_each(
    app, db, make_user, make_community, make_membership, make_case
):
    """`notify_members` (one query, one INSERT each) decides and writes exactly what
    `notify` for every active member did: who, which kind, the data, which e-mails in
    which language, and which notifications a digest still has to carry."""
    from itertools import product

    from community.models import Membership, OutboxMessage, User
    from community.notifications.services import notify, notify_members

    community = make_community(name="Kring")
    actor = make_user(name="Actor")
    make_membership(actor, community)
    people = []
    for follow, mode, locale in product(
        ("all", "mine", "none"), ("each", "daily", "none"), ("nl", "en")
    ):
        person = make_user(email_mode=mode, locale=locale, name=f"{follow} {mode} {locale}")
        make_membership(person, community, follow=follow)
        people.append(person)
    make_membership(make_user(status="suspended"), community)  # no longer counts
    make_membership(make_user(), community, status="left")
    make_membership(make_user(), community, role="moderator", status="removed")
    author = next(p for p in people if p.name.startswith("mine"))  # hears of their own case
    case = make_case(community, author, title="Lege panden")
    data = {"case_id": case.id, "case_title": case.title}

    def written() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        notes = sorted(
            (n.recipient_id, n.kind, n.target_type, n.target_id, n.actor_id, n.digested_at is None)
            + tuple(sorted(n.data.items()))
            for n in db.session.scalars(select(Notification))
        )
        mails = sorted(
            (m.recipient, m.subject, m.body, m.member_of_community_id, m.member_user_id)
            for m in db.session.scalars(select(OutboxMessage))
        )
        return notes, mails

    calls = [
        ("contribution_added", {author.id: "expert_advice_given"}),
        ("case_published", None),
        ("phase_changed", None),
    ]
    for kind, kind_for in calls:
        with app.test_request_context():
            members = db.session.scalars(
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.community_id == community.id, policy_active())
                .order_by(User.id)
            ).all()
            for member in members:
                if member.id != actor.id:
                    notify(
                        member,
                        (kind_for or {}).get(member.id, kind),
                        community=community,
                        actor=actor,
                        target=case,
                        **data,
                    )
            db.session.flush()
            one_by_one = written()
            db.session.rollback()
            count = notify_members(
                kind,
                community=community,
                exclude=actor.id,
                kind_for=kind_for,
                actor=actor,
                target=case,
                **data,
            )
            db.session.flush()
            at_once = written()
            db.session.rollback()
        assert at_once == one_by_one, kind
        assert count == len(one_by_one[0])
        assert one_by_one[1], kind  # some e-mail, in both languages
        assert {"Dear" in body for _to, _subject, body, *_ in one_by_one[1]} == {True, False}


def policy_active():
    from community import policy

    return policy.active_memberships()
